import { Link } from "react-router";
import { NotificationPreferences } from "../components/NotificationPreferences";
import { PageHeader } from "../components/PageHeader";
import { CaptureLinks } from "../components/profile/CaptureLinks";
import { buttonClasses } from "../components/ui/Button";
import { useCurrentUser } from "../lib/auth";

const ROLE: Record<string, string> = {
  ADMIN: "Admin: everything, including settings, deleting and restoring records",
  USER: "User: creates and edits records, imports",
  VIEWER: "Viewer: reads everything, changes nothing",
};

/** /profile — who you are signed in as, the way to change your password, and how notifications reach you. Names and roles are set by an admin. */
export default function ProfileRoute() {
  const user = useCurrentUser();
  const row = (label: string, value: string) => (
    <div className="grid gap-1 px-4 py-3 sm:grid-cols-[10rem_1fr]">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm font-medium text-slate-900">{value}</dd>
    </div>
  );
  return (
    <>
      <PageHeader title="Your profile" description="Your name, e-mail and role are managed by an admin of this workspace." />
      <div className="mx-auto w-full max-w-3xl space-y-5 px-4 py-6 sm:px-6">
        <dl className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {row("Name", user.name)}
          {row("E-mail", user.email)}
          {row("Role", ROLE[user.role] ?? user.role)}
          {user.workspaceName && row("Workspace", user.workspaceName)}
        </dl>
        <Link to={`/change-password?${new URLSearchParams({ next: "/profile" })}`} className={buttonClasses("primary")}>
          Change password
        </Link>
        <CaptureLinks />
        <NotificationPreferences />
      </div>
    </>
  );
}
