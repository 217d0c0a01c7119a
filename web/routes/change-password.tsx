import { useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { BrandMark } from "../components/BrandMark";
import { Button } from "../components/ui/Button";
import { TextField } from "../components/ui/TextField";
import { ApiError, errorMessage, safeNextPath } from "../lib/api";
import { changePassword, PASSWORD_MIN_LENGTH, useAuth } from "../lib/auth";
import { useBranding } from "../lib/branding";

/**
 * /change-password — a full-page form (no shell). Users who signed in with a temporary password land here
 * first (the signed-in layout redirects them) and cannot use the app until they choose their own; anyone may
 * also open it to change their password.
 */
export default function ChangePasswordRoute() {
  const { user, updateSession, signOut } = useAuth();
  const { productName, logoUrl } = useBranding();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get("next"));
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  if (!user) return <Navigate to={`/login?${new URLSearchParams({ next: "/change-password" })}`} replace />;
  const forced = user.mustChangePassword;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!current) problems.currentPassword = forced ? "Enter the temporary password you signed in with" : "Enter your current password";
    if ([...password].length < PASSWORD_MIN_LENGTH) problems.newPassword = `Use at least ${PASSWORD_MIN_LENGTH} characters`;
    else if (password === current) problems.newPassword = "Choose a password different from the current one";
    if (!problems.newPassword && confirm !== password) problems.confirm = "The two passwords do not match";
    setErrors(problems);
    if (Object.keys(problems).length) return;

    setPending(true);
    setFailure(null);
    try {
      const { token, user: updated } = await changePassword(current, password);
      updateSession(token, updated);
      navigate(next, { replace: true });
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.errors?.length) {
        const fe = err.fieldErrors;
        setErrors({
          currentPassword: fe.currentPassword ? `The ${forced ? "temporary" : "current"} password ${fe.currentPassword}` : "",
          newPassword: fe.newPassword ? `The new password ${fe.newPassword}` : "",
        });
        if (!fe.currentPassword && !fe.newPassword) setFailure(err);
      } else {
        setFailure(err);
      }
    }
  }

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <BrandMark productName={productName} logoUrl={logoUrl} className="size-10" />
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">
            {forced ? "Choose your own password" : "Change your password"}
          </h1>
          <p className="text-sm text-slate-600">
            {forced ? (
              <>
                Welcome, {user.name}. You signed in with a temporary password; replace it before you continue.
              </>
            ) : (
              <>Signed in as {user.email}. Your other sessions will be signed out.</>
            )}
          </p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
          <form onSubmit={onSubmit} noValidate className="space-y-4">
            <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 empty:hidden">
              {failure ? errorMessage(failure) : null}
            </div>
            {/* Lets password managers file the new password under the right account. */}
            <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
            <TextField
              label={forced ? "Temporary password" : "Current password"}
              type="password"
              autoComplete="current-password"
              autoFocus
              required
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              error={errors.currentPassword || undefined}
            />
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.newPassword || undefined}
              hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong one.`}
            />
            <TextField
              label="Confirm new password"
              type="password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              error={errors.confirm || undefined}
            />
            <Button type="submit" variant="primary" className="w-full" loading={pending}>
              {pending ? "Saving…" : forced ? "Save and continue" : "Change password"}
            </Button>
          </form>
        </div>
        <p className="mt-5 text-center text-sm text-slate-500">
          {forced ? (
            <button type="button" onClick={signOut} className="font-medium text-slate-700 underline-offset-2 hover:underline">
              Sign out
            </button>
          ) : (
            <button type="button" onClick={() => navigate(-1)} className="font-medium text-slate-700 underline-offset-2 hover:underline">
              Cancel
            </button>
          )}
        </p>
      </div>
    </main>
  );
}
