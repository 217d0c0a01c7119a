import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import {
  markReadResultSchema,
  markReadSchema,
  notificationListQuery,
  notificationListSchema,
  notificationPreferencesPutSchema,
  notificationPreferencesSchema,
} from "../schemas/notifications";
import { listNotifications } from "../services/notifications/list";
import { markNotificationsRead } from "../services/notifications/mark-read";
import { readPreferences } from "../services/notifications/preferences";
import { setNotificationPreferences } from "../services/notifications/set-preferences";

const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** The caller's own notification centre: every role has one (policy table), and sees only its own rows. */
export const notificationRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/notifications",
      tags: ["Notifications"],
      summary: "Your notifications, newest first (keyset-paginated), with the unread count",
      request: { query: notificationListQuery },
      responses: { 200: json(notificationListSchema, "A page of notifications"), ...problemResponses(400, 401, 422) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { auth, services } = c.var;
      return c.json(await listNotifications({ db: services.db, userId: auth.userId, workspaceId: auth.workspaceId, limit: q.limit, cursor: q.cursor, unreadOnly: q.unread === "true" }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/notifications/read",
      tags: ["Notifications"],
      summary: "Mark notifications read: the listed ids, or all of yours",
      request: { body: { content: { "application/json": { schema: markReadSchema } }, required: true } },
      responses: { 200: json(markReadResultSchema, "How many were marked, and what is still unread"), ...problemResponses(401, 422) },
    }),
    async (c) => c.json(await markNotificationsRead({ db: c.var.services.db, userId: c.var.auth.userId, body: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/notifications/preferences",
      tags: ["Notifications"],
      summary: "How each kind of notification reaches you: in_app, email (at once), digest (daily e-mail) or off",
      responses: { 200: json(notificationPreferencesSchema, "Your channel per kind"), ...problemResponses(401) },
    }),
    async (c) => c.json({ preferences: await readPreferences(c.var.services.db.http, c.var.auth.userId) }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/notifications/preferences",
      tags: ["Notifications"],
      summary: "Set your channel per kind (kinds not named keep theirs)",
      request: { body: { content: { "application/json": { schema: notificationPreferencesPutSchema } }, required: true } },
      responses: { 200: json(notificationPreferencesSchema, "Your channel per kind"), ...problemResponses(401, 422) },
    }),
    async (c) => c.json(await setNotificationPreferences({ db: c.var.services.db, userId: c.var.auth.userId, preferences: c.req.valid("json").preferences }), 200),
  );
