import { useState, type FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { AuthCard, FormAlert } from "../components/AuthCard";
import { Button } from "../components/ui/Button";
import { TextField } from "../components/ui/TextField";
import { ApiError, safeNextPath } from "../lib/api";
import { useAuth } from "../lib/auth";
import { useBranding } from "../lib/branding";

const DEMO_PASSWORD = "bespoke-demo";
const DEMO_LOGINS = [
  { email: "admin@demo.test", role: "Admin" },
  { email: "user@demo.test", role: "User" },
  { email: "viewer@demo.test", role: "Viewer" },
] as const;

// A client deployment hides the demo hint with VITE_HIDE_DEMO_LOGINS=true at build time.
const SHOW_DEMO_LOGINS = import.meta.env.VITE_HIDE_DEMO_LOGINS !== "true";

export default function LoginRoute() {
  const { user, signIn, signedOutReason } = useAuth();
  const { productName } = useBranding();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get("next"));

  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // Signed in (already, or just now): go where the user was heading.
  if (user) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const showNotice = signedOutReason === "expired" && !error;

  const demoLogins = SHOW_DEMO_LOGINS && (
    <aside aria-labelledby="demo-logins" className="mt-5 rounded-lg px-1 text-xs text-slate-500">
      <h2 id="demo-logins" className="font-medium text-slate-600">
        Demo logins
      </h2>
      <p className="mt-1">
        Password <code className="rounded bg-slate-200/60 px-1 py-px font-mono text-slate-700">{DEMO_PASSWORD}</code>{" "}
        for all of them. Choose one to fill the form:
      </p>
      <ul className="mt-2 flex flex-wrap gap-1.5">
        {DEMO_LOGINS.map((demo) => (
          <li key={demo.email}>
            <button
              type="button"
              onClick={() => {
                setEmail(demo.email);
                setPassword(DEMO_PASSWORD);
                setError(null);
              }}
              className="rounded-md bg-white px-2 py-1 font-mono text-slate-700 ring-1 ring-slate-200 hover:ring-slate-300"
            >
              {demo.email}
              <span className="sr-only"> ({demo.role})</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );

  return (
    <AuthCard title={`Sign in to ${productName}`} after={demoLogins}>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <div role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 empty:hidden">
          {showNotice && "Your session has ended. Sign in again to continue."}
        </div>
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
          error={fieldErrors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
        />
        <Button type="submit" variant="primary" className="w-full" loading={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      <p className="mt-4 text-center text-sm">
        <Link to="/forgot-password" className="text-accent underline-offset-2 hover:underline">
          Forgot your password?
        </Link>
      </p>
    </AuthCard>
  );
}
