import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiRequest, errorMessage } from "../../lib/api";
import { hasRole, useCurrentUser } from "../../lib/auth";
import { formatDateTime } from "../../lib/format";
import { Button } from "../ui/Button";

interface TokenStatus {
  prefix: string;
  createdAt: string;
}

/** A secret URL/address: made (or replaced) on request, shown once, revocable. */
function SecretRow({ title, description, status, onMake, onRevoke, makeLabel }: {
  title: string;
  description: string;
  status: TokenStatus | null | undefined;
  onMake: () => Promise<string>;
  onRevoke: () => Promise<void>;
  makeLabel: string;
}) {
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="space-y-2 px-4 py-4" aria-label={title}>
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <p className="text-sm text-slate-600">{description}</p>
      {shown ? (
        <div className="rounded-md border border-amber-200 bg-amber-50 p-2 text-sm">
          <p className="text-amber-800">Copy it now: it is shown only once.</p>
          <input readOnly aria-label={`${title} (secret)`} value={shown} className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.target.select()} />
        </div>
      ) : status ? (
        <p className="text-sm text-slate-500">
          Active since {formatDateTime(status.createdAt)} (starts with <code>{status.prefix}</code>).
        </p>
      ) : (
        <p className="text-sm text-slate-500">None yet.</p>
      )}
      <div className="flex gap-2">
        <Button size="sm" loading={busy} onClick={() => void run(async () => setShown(await onMake()))}>
          {status || shown ? "Regenerate" : makeLabel}
        </Button>
        {(status || shown) && (
          <Button size="sm" onClick={() => void run(async () => (await onRevoke(), setShown(null)))}>
            Revoke
          </Button>
        )}
      </div>
      {error != null && <p role="alert" className="text-sm text-red-600">{errorMessage(error)}</p>}
    </section>
  );
}

/** The profile page's private links: the calendar feed (every role) and the inbound e-mail address (USER and up). */
export function CaptureLinks() {
  const user = useCurrentUser();
  const client = useQueryClient();
  const feed = useQuery({ queryKey: ["capture", "feed"], queryFn: () => apiRequest<{ feed: TokenStatus | null }>("/api/calendar/feed") });
  const email = useQuery({ queryKey: ["capture", "email"], queryFn: () => apiRequest<{ enabled: boolean; domain: string | null; me: TokenStatus | null }>("/api/email/capture") });
  const refresh = () => void client.invalidateQueries({ queryKey: ["capture"] });
  return (
    <div className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      <SecretRow
        title="Calendar feed"
        description="Subscribe to this private URL in Google Calendar, Outlook or Apple Calendar to see your open tasks and your meetings."
        status={feed.data?.feed}
        makeLabel="Create feed URL"
        onMake={async () => {
          const r = await apiRequest<{ url: string }>("/api/calendar/feed", { method: "POST" });
          refresh();
          return r.url;
        }}
        onRevoke={async () => {
          await apiRequest("/api/calendar/feed", { method: "DELETE" });
          refresh();
        }}
      />
      {hasRole(user, "USER") && email.data?.enabled && (
        <SecretRow
          title="Inbound e-mail address"
          description="BCC or forward a conversation to this address: it is logged on the matching contacts, their accounts and open deals. Nothing else in your mailbox is read."
          status={email.data.me}
          makeLabel="Create address"
          onMake={async () => {
            const r = await apiRequest<{ address: string }>("/api/email/capture/me", { method: "POST" });
            refresh();
            return r.address;
          }}
          onRevoke={async () => {
            await apiRequest("/api/email/capture/me", { method: "DELETE" });
            refresh();
          }}
        />
      )}
    </div>
  );
}
