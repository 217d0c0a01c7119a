import { useState, type FormEvent, type ReactNode } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { BrandMark } from "../components/BrandMark";
import { Button } from "../components/ui/Button";
import { TextField } from "../components/ui/TextField";
import { ApiError, apiRequest, errorMessage } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useBranding } from "../lib/branding";
import type { User } from "../lib/types";

/** The centred card both screens share with the sign-in page. */
function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const { productName, logoUrl } = useBranding();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <BrandMark productName={productName} logoUrl={logoUrl} className="size-10" />
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
        <p className="mt-5 text-center text-sm">
          <Link to="/login" className="text-accent underline-offset-2 hover:underline">
            Back to sign in
          </Link>
        </p>
      </div>
    </main>
  );
}

/**
 * /forgot-password — asks for the e-mail and always says the same thing afterwards: the API answers 202 whether or
 * not an account exists, so this page cannot be used to find out who has one.
 */
export function ForgotPasswordRoute() {
  const [email, setEmail] = useState("");
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await apiRequest("/api/auth/forgot-password", { method: "POST", body: { email: email.trim() }, auth: false, on401: "throw" });
      setSentTo(email.trim());
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <AuthCard title="Reset your password">
      {sentTo ? (
        <p role="status" className="text-sm text-slate-700">
          If <strong>{sentTo}</strong> belongs to an account, we have sent it a link to choose a new password. The link
          works once and expires in 30 minutes.
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <p className="text-sm text-slate-600">Enter the e-mail you sign in with and we will send you a reset link.</p>
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 empty:hidden">
            {error ? errorMessage(error) : null}
          </div>
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={error instanceof ApiError ? error.fieldErrors.email : undefined}
          />
          <Button type="submit" variant="primary" className="w-full" loading={pending}>
            Send reset link
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

/** /reset-password?token=… — the link from the e-mail: choose a new password, then continue signed in. */
export function ResetPasswordRoute() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token") ?? "";
  const { user, updateSession } = useAuth();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);

  if (!token) return <Navigate to="/forgot-password" replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setPending(true);
    setError(null);
    try {
      const session = await apiRequest<{ token: string; user: User }>("/api/auth/reset-password", {
        method: "POST",
        body: { token, password },
        auth: false,
        on401: "throw",
      });
      updateSession(session.token, session.user);
      navigate("/pipeline", { replace: true });
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <AuthCard title="Choose a new password">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {user && <p className="text-sm text-slate-600">You are signed in as {user.email}; this link changes the password of the account it was sent to.</p>}
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 empty:hidden">
          {error && !fieldErrors.password ? (
            <>
              {errorMessage(error)}{" "}
              <Link to="/forgot-password" className="font-medium underline">
                Request a new link
              </Link>
            </>
          ) : null}
        </div>
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          hint="At least 10 characters; not a common password."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
        />
        <TextField
          label="Repeat the new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? "The two passwords differ" : undefined}
        />
        <Button type="submit" variant="primary" className="w-full" loading={pending}>
          Set password and sign in
        </Button>
      </form>
    </AuthCard>
  );
}
