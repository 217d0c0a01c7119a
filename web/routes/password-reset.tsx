import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { AuthCard, FormAlert } from "../components/AuthCard";
import { Button } from "../components/ui/Button";
import { TextField } from "../components/ui/TextField";
import { ApiError, apiRequest, errorMessage } from "../lib/api";
import { useAuth } from "../lib/auth";
import type { User } from "../lib/api-types";

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
    <AuthCard title="Reset your password" after={<BackToSignIn />}>
      {sentTo ? (
        <p role="status" className="text-sm text-slate-700">
          If <strong>{sentTo}</strong> belongs to an account, we have sent it a link to choose a new password. The link
          works once and expires in 30 minutes.
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <p className="text-sm text-slate-600">Enter the e-mail you sign in with and we will send you a reset link.</p>
          <FormAlert error={error} />
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
    <AuthCard title="Choose a new password" after={<BackToSignIn />}>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {user && <p className="text-sm text-slate-600">You are signed in as {user.email}; this link changes the password of the account it was sent to.</p>}
        <FormAlert error={error && !fieldErrors.password ? error : null}>
          {errorMessage(error)}{" "}
          <Link to="/forgot-password" className="font-medium underline">
            Request a new link
          </Link>
        </FormAlert>
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

function BackToSignIn() {
  return (
    <p className="mt-5 text-center text-sm">
      <Link to="/login" className="text-accent underline-offset-2 hover:underline">
        Back to sign in
      </Link>
    </p>
  );
}
