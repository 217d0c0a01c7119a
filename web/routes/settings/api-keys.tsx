import { useState, type FormEvent } from "react";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { SecretReveal } from "../../components/SecretReveal";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { SelectField } from "../../components/ui/SelectField";
import { Skeleton } from "../../components/ui/Skeleton";
import { TextField } from "../../components/ui/TextField";
import { useToast } from "../../components/ui/Toast";
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey, type CreatedApiKey } from "../../lib/admin";
import { ApiError, errorMessage } from "../../lib/api";
import { ROLE_LABEL } from "../../lib/auth";
import { formatDateTime } from "../../lib/format";
import type { Role } from "../../lib/api-types";
import { useResource } from "../../lib/useResource";

/** Settings → API keys: create (the secret is shown once), list with last use, revoke. */
export default function ApiKeysSettings() {
  const toast = useToast();
  const keys = useResource("settings-api-keys", (signal) => listApiKeys({ signal }));
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("USER");
  const [nameError, setNameError] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setNameError("Name the key after the integration that uses it");
      return;
    }
    setCreating(true);
    setFailure(null);
    try {
      const key = await createApiKey({ name: name.trim(), role });
      setCreated(key);
      setName("");
      const { secret: _secret, ...listed } = key;
      keys.setData((list) => [listed, ...(list ?? [])]);
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.name) setNameError(`Name ${err.fieldErrors.name}`);
      else setFailure(err);
    } finally {
      setCreating(false);
    }
  }

  const active = (keys.data ?? []).filter((k) => !k.revokedAt);
  const revoked = (keys.data ?? []).filter((k) => k.revokedAt);
  return (
    <div className="space-y-6">
      <form onSubmit={create} noValidate className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="text-sm font-semibold text-slate-900">Create a key</h3>
        <p className="mt-1 text-sm text-slate-500">
          Integrations send it as <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-700">Authorization: Bearer &lt;key&gt;</code>; it acts with the role you choose.
        </p>
        {failure !== null && (
          <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(failure)}
          </p>
        )}
        <div className="mt-3 flex flex-wrap items-start gap-3">
          <TextField
            label="Name"
            placeholder="e.g. Billing sync"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameError("");
            }}
            error={nameError || undefined}
            className="min-w-48 flex-1"
          />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} className="w-36">
            <option value="VIEWER">Viewer (read)</option>
            <option value="USER">User (read/write)</option>
            <option value="ADMIN">Admin</option>
          </SelectField>
          <Button type="submit" variant="primary" loading={creating} className="sm:mt-[1.625rem]">
            Create key
          </Button>
        </div>
        {created && (
          <div className="mt-4">
            <SecretReveal label={`Key for “${created.name}”`} value={created.secret} />
            <Button size="sm" variant="ghost" className="mt-2" onClick={() => setCreated(null)}>
              I have stored it
            </Button>
          </div>
        )}
      </form>

      {keys.status === "loading" ? (
        <div className="space-y-2" aria-hidden="true">
          <Skeleton className="h-14 w-full rounded-lg" />
          <Skeleton className="h-14 w-full rounded-lg" />
        </div>
      ) : keys.status === "error" ? (
        <ErrorState title="Couldn’t load the API keys" error={keys.error} onRetry={keys.reload} />
      ) : active.length === 0 && revoked.length === 0 ? (
        <EmptyState title="No API keys yet" description="Create one above for each integration, so you can revoke them one by one." />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <caption className="sr-only">API keys</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2.5">Name</th>
                <th scope="col" className="px-4 py-2.5">Key</th>
                <th scope="col" className="px-4 py-2.5">Role</th>
                <th scope="col" className="px-4 py-2.5">Last used</th>
                <th scope="col" className="px-4 py-2.5">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...active, ...revoked].map((k) => (
                <tr key={k.id} className={k.revokedAt ? "text-slate-500" : ""}>
                  <td className="px-4 py-3">
                    <div className="font-medium text-slate-900">{k.name}</div>
                    <div className="text-xs text-slate-500">
                      Created {formatDateTime(k.createdAt)}
                      {k.createdBy && ` by ${k.createdBy.name}`}
                    </div>
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">bk_live_{k.prefix}_…</td>
                  <td className="px-4 py-3">{ROLE_LABEL[k.role] ?? k.role}</td>
                  <td className="px-4 py-3">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never"}</td>
                  <td className="px-4 py-3 text-right">
                    {k.revokedAt ? (
                      <Badge>Revoked</Badge>
                    ) : (
                      <Button size="sm" variant="ghost" onClick={() => setRevoking(k)}>
                        Revoke<span className="sr-only"> {k.name}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          message="Requests with this key fail from now on. This cannot be undone: the integration needs a new key."
          confirmLabel="Revoke key"
          tone="danger"
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            const revoked = await revokeApiKey(revoking.id);
            keys.setData((list) => list?.map((k) => (k.id === revoking.id ? revoked : k)));
            toast.success(`“${revoking.name}” was revoked`);
            setRevoking(null);
          }}
        />
      )}
    </div>
  );
}
