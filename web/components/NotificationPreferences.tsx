import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notificationChannels, notificationKindValues, type NotificationChannel } from "../../worker/schemas/notifications";
import { apiRequest, errorMessage } from "../lib/api";
import { qk } from "../lib/query";

type Kind = (typeof notificationKindValues)[number];
type Prefs = { preferences: Record<Kind, NotificationChannel> };

const KIND_LABEL: Record<Kind, string> = {
  assignment: "A record or task is assigned to you",
  mention: "Someone mentions you",
  automation: "An automation notifies you",
  ai: "An AI job finishes",
  rotting: "A deal of yours sits too long in its stage",
  reminder: "Reminders (close dates, overdue tasks)",
  system: "System messages",
};
const CHANNEL_LABEL: Record<NotificationChannel, string> = {
  in_app: "In the app only",
  email: "In the app and by e-mail at once",
  digest: "In the app and in the daily e-mail digest",
  off: "Off",
};

const key = [...qk.notifications, "preferences"] as const;

/** Profile → Notifications: one channel per kind of notification, saved as soon as it is chosen. */
export function NotificationPreferences() {
  const client = useQueryClient();
  const prefs = useQuery({ queryKey: key, queryFn: ({ signal }) => apiRequest<Prefs>("/api/notifications/preferences", { signal }) });
  const save = useMutation({
    mutationFn: (change: Partial<Record<Kind, NotificationChannel>>) => apiRequest<Prefs>("/api/notifications/preferences", { method: "PUT", body: { preferences: change } }),
    onSuccess: (data) => client.setQueryData(key, data),
  });
  return (
    <section aria-labelledby="notification-prefs" className="rounded-lg border border-slate-200 bg-white">
      <h2 id="notification-prefs" className="border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-900">
        Notifications
      </h2>
      {prefs.isError && <p className="px-4 py-3 text-sm text-red-700">Could not load your choices: {errorMessage(prefs.error)}</p>}
      {save.isError && <p role="alert" className="px-4 py-2 text-sm text-red-700">Not saved: {errorMessage(save.error)}</p>}
      <div className="divide-y divide-slate-100">
        {notificationKindValues.map((kind) => (
          <label key={kind} className="grid items-center gap-1 px-4 py-3 sm:grid-cols-[1fr_16rem]">
            <span className="text-sm text-slate-700">{KIND_LABEL[kind]}</span>
            <select
              value={prefs.data?.preferences[kind] ?? "in_app"}
              disabled={!prefs.data || save.isPending}
              onChange={(e) => save.mutate({ [kind]: e.target.value as NotificationChannel })}
              className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm"
            >
              {notificationChannels.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABEL[c]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </section>
  );
}
