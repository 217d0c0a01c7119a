import { useMemo, useState, type FormEvent } from "react";
import { ErrorState } from "../../components/ErrorState";
import { SearchInput } from "../../components/SearchInput";
import { SecretReveal } from "../../components/SecretReveal";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { Dialog } from "../../components/ui/Dialog";
import { SelectField } from "../../components/ui/SelectField";
import { Skeleton } from "../../components/ui/Skeleton";
import { TextField } from "../../components/ui/TextField";
import { useToast } from "../../components/ui/Toast";
import { createUser, listWorkspaceUsers, resetUserPassword, setUserActive, updateUser } from "../../lib/admin";
import { ApiError, errorMessage } from "../../lib/api";
import { ROLE_LABEL, useCurrentUser } from "../../lib/auth";
import { formatDateTime } from "../../lib/format";
import type { Role, User } from "../../lib/api-types";
import { useResource } from "../../lib/useResource";

const ROLES: { role: Role; hint: string }[] = [
  { role: "ADMIN", hint: "everything, including users and settings" },
  { role: "USER", hint: "creates and edits records" },
  { role: "VIEWER", hint: "reads only" },
];

type Pending =
  | { kind: "deactivate" | "reactivate" | "reset"; user: User }
  | { kind: "password"; user: User; password: string; created: boolean }
  | null;

/** Settings → Users: list, add (temporary password shown once), change role, deactivate, reset password. */
export default function UsersSettings() {
  const me = useCurrentUser();
  const toast = useToast();
  const users = useResource("settings-users", (signal) => listWorkspaceUsers({}, { signal }));
  const [filter, setFilter] = useState("");
  const [adding, setAdding] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [savingRole, setSavingRole] = useState<string | null>(null);

  const list = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = users.data?.data ?? [];
    return q ? all.filter((u) => u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q)) : all;
  }, [users.data, filter]);

  const replace = (updated: User) =>
    users.setData((page) => page && { ...page, data: page.data.map((u) => (u.id === updated.id ? updated : u)) });

  async function changeRole(user: User, role: Role) {
    setSavingRole(user.id);
    try {
      replace(await updateUser(user.id, { role }));
      toast.success(`${user.name} is now ${ROLE_LABEL[role]}`);
    } catch (err) {
      toast.error(`Couldn’t change ${user.name}’s role: ${errorMessage(err)}`);
    } finally {
      setSavingRole(null);
    }
  }

  if (users.status === "loading") return <ListSkeleton />;
  if (users.status === "error") return <ErrorState title="Couldn’t load the users" error={users.error} onRetry={users.reload} />;

  const activeCount = (users.data?.data ?? []).filter((u) => u.active).length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <SearchInput label="Filter users" placeholder="Filter by name or e-mail…" value={filter} onValueChange={setFilter} className="w-full sm:w-72" />
        <p className="text-sm text-slate-500">
          {activeCount} active of {users.data?.data.length ?? 0}
        </p>
        <Button variant="primary" className="ml-auto" onClick={() => setAdding(true)}>
          Add user
        </Button>
      </div>

      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        {/* A grid per row rather than a table: on a phone each user stacks name, role and actions. */}
        <div aria-hidden="true" className="hidden grid-cols-[minmax(0,1fr)_8rem_10rem_15rem] gap-4 border-b border-slate-200 bg-slate-50 px-4 py-2.5 text-xs font-medium text-slate-600 lg:grid">
          <span>Name</span>
          <span>Role</span>
          <span>Last sign-in</span>
          <span />
        </div>
        <ul aria-label="Users of this workspace" className="divide-y divide-slate-100">
          {list.map((u) => {
            const self = u.id === me.id;
            return (
              <li
                key={u.id}
                aria-label={`${u.name}, ${ROLE_LABEL[u.role]}${u.active ? "" : ", deactivated"}`}
                className={`grid grid-cols-[minmax(0,1fr)_auto] items-start gap-x-4 gap-y-2 px-4 py-3 text-sm lg:grid-cols-[minmax(0,1fr)_8rem_10rem_15rem] ${u.active ? "" : "bg-slate-50/60"}`}
              >
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className={`font-medium ${u.active ? "text-slate-900" : "text-slate-500"}`}>{u.name}</span>
                    {self && <Badge tone="accent">You</Badge>}
                    {!u.active && <Badge tone="neutral">Deactivated</Badge>}
                    {u.active && u.mustChangePassword && <Badge tone="warning">Temporary password</Badge>}
                  </div>
                  <div className="mt-0.5 truncate text-slate-500">{u.email}</div>
                </div>
                <SelectField
                  label={`Role of ${u.name}`}
                  hideLabel
                  value={u.role}
                  disabled={!u.active || savingRole === u.id}
                  onChange={(e) => void changeRole(u, e.target.value as Role)}
                  className="w-28"
                >
                  {ROLES.map((r) => (
                    <option key={r.role} value={r.role}>
                      {ROLE_LABEL[r.role]}
                    </option>
                  ))}
                </SelectField>
                <div className="hidden pt-2 text-slate-600 lg:block">
                  <span className="sr-only">Last sign-in: </span>
                  {u.lastLoginAt ? formatDateTime(u.lastLoginAt) : <span className="text-slate-500">Never</span>}
                </div>
                <div className="col-span-2 -ml-2.5 flex flex-wrap gap-1.5 lg:col-span-1 lg:ml-0 lg:justify-end">
                  {u.active && (
                    <Button size="sm" variant="ghost" onClick={() => setPending({ kind: "reset", user: u })}>
                      Reset password<span className="sr-only"> of {u.name}</span>
                    </Button>
                  )}
                  {!self &&
                    (u.active ? (
                      <Button size="sm" variant="ghost" onClick={() => setPending({ kind: "deactivate", user: u })}>
                        Deactivate<span className="sr-only"> {u.name}</span>
                      </Button>
                    ) : (
                      <Button size="sm" onClick={() => setPending({ kind: "reactivate", user: u })}>
                        Reactivate<span className="sr-only"> {u.name}</span>
                      </Button>
                    ))}
                </div>
              </li>
            );
          })}
          {list.length === 0 && <li className="px-4 py-8 text-center text-sm text-slate-500">No user matches “{filter}”.</li>}
        </ul>
      </div>
      <p className="text-xs text-slate-500">
        Roles: {ROLES.map((r) => `${ROLE_LABEL[r.role]} — ${r.hint}`).join("; ")}. Deactivated users cannot sign in and their sessions end at once; their records keep their name.
      </p>

      {adding && (
        <AddUserDialog
          onClose={() => setAdding(false)}
          onCreated={(user, password) => {
            users.setData((page) => page && { ...page, data: [...page.data, user].sort((a, b) => a.name.localeCompare(b.name)) });
            setAdding(false);
            toast.success(`${user.name} was added`);
            if (password) setPending({ kind: "password", user, password, created: true });
          }}
        />
      )}
      {pending?.kind === "deactivate" && (
        <ConfirmDialog
          title={`Deactivate ${pending.user.name}?`}
          message={`${pending.user.email} will be signed out everywhere and can no longer sign in. Their records stay as they are; you can reactivate them later.`}
          confirmLabel="Deactivate"
          tone="danger"
          onCancel={() => setPending(null)}
          onConfirm={async () => {
            replace(await setUserActive(pending.user.id, false));
            toast.success(`${pending.user.name} was deactivated`);
            setPending(null);
          }}
        />
      )}
      {pending?.kind === "reactivate" && (
        <ConfirmDialog
          title={`Reactivate ${pending.user.name}?`}
          message={`${pending.user.email} can sign in again with their password.`}
          confirmLabel="Reactivate"
          onCancel={() => setPending(null)}
          onConfirm={async () => {
            replace(await setUserActive(pending.user.id, true));
            toast.success(`${pending.user.name} was reactivated`);
            setPending(null);
          }}
        />
      )}
      {pending?.kind === "reset" && (
        <ConfirmDialog
          title={`Reset ${pending.user.name}’s password?`}
          message="Their current password stops working and their sessions end. You get a temporary password to give them; they choose their own at the next sign-in."
          confirmLabel="Reset password"
          tone="danger"
          onCancel={() => setPending(null)}
          onConfirm={async () => {
            const result = await resetUserPassword(pending.user.id);
            replace(result.user);
            setPending({ kind: "password", user: result.user, password: result.temporaryPassword, created: false });
          }}
        />
      )}
      {pending?.kind === "password" && (
        <Dialog
          title={pending.created ? `${pending.user.name} can now sign in` : "Temporary password"}
          onClose={() => setPending(null)}
          footer={
            <Button variant="primary" onClick={() => setPending(null)}>
              Done
            </Button>
          }
        >
          <div className="space-y-3 text-sm text-slate-600">
            <p>
              Give {pending.user.name} this temporary password with their e-mail <strong className="font-medium text-slate-800">{pending.user.email}</strong>.
              They will be asked to choose their own when they sign in.
            </p>
            <SecretReveal label="Temporary password" value={pending.password} />
          </div>
        </Dialog>
      )}
    </div>
  );
}

function AddUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (user: User, temporaryPassword: string | null) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("USER");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = "Enter their name";
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) problems.email = "Enter an e-mail address";
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setPending(true);
    setFailure(null);
    try {
      const result = await createUser({ name: name.trim(), email: email.trim(), role });
      onCreated(result.user, result.temporaryPassword);
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.status === 409) setErrors({ email: "A user with this e-mail already exists" });
      else if (err instanceof ApiError && err.errors?.length) {
        const fe = err.fieldErrors;
        setErrors({ name: fe.name ? `Name ${fe.name}` : "", email: fe.email ? `E-mail ${fe.email}` : "" });
        if (!fe.name && !fe.email) setFailure(err);
      } else setFailure(err);
    }
  }

  return (
    <Dialog
      title="Add a user"
      description="They get a temporary password, shown to you once, and choose their own at first sign-in."
      onClose={onClose}
      busy={pending}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form="add-user-form" variant="primary" loading={pending}>
            Add user
          </Button>
        </>
      }
    >
      <form id="add-user-form" onSubmit={submit} noValidate className="space-y-4">
        {failure !== null && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(failure)}
          </p>
        )}
        <TextField label="Name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={errors.name || undefined} />
        <TextField label="Email" type="email" inputMode="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email || undefined} />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Role</legend>
          <div className="mt-1.5 space-y-1.5">
            {ROLES.map((r) => (
              <label key={r.role} className="flex cursor-pointer items-start gap-2.5 rounded-md px-1 py-1 text-sm hover:bg-slate-50">
                <input type="radio" name="role" value={r.role} checked={role === r.role} onChange={() => setRole(r.role)} className="mt-0.5 accent-(--accent)" />
                <span>
                  <span className="font-medium text-slate-900">{ROLE_LABEL[r.role]}</span>
                  <span className="text-slate-500"> — {r.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </form>
    </Dialog>
  );
}

function ListSkeleton() {
  return (
    <div className="space-y-3" aria-hidden="true">
      <Skeleton className="h-9 w-72" />
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className="h-14 w-full rounded-lg" />
      ))}
    </div>
  );
}
