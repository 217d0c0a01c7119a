CREATE TABLE "ai_stage_norms" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"norms" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"generation" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_refreshed_at" timestamp with time zone,
	"idle_expires_at" timestamp with time zone NOT NULL,
	"absolute_expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "import_session_records" (
	"workspace_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_session_records_workspace_id_session_id_entity_type_record_id_pk" PRIMARY KEY("workspace_id","session_id","entity_type","record_id")
);
--> statement-breakpoint
DROP INDEX "activities_ws_recent_idx";--> statement-breakpoint
DROP INDEX "activities_open_tasks_idx";--> statement-breakpoint
ALTER TABLE "ai_stage_norms" ADD CONSTRAINT "ai_stage_norms_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_refresh_tokens" ADD CONSTRAINT "session_refresh_tokens_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_session_records" ADD CONSTRAINT "import_session_records_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_refresh_tokens_session_idx" ON "session_refresh_tokens" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "sessions_user_live_idx" ON "sessions" USING btree ("user_id") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "import_session_records_ws_created_idx" ON "import_session_records" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "activities_ws_happened_idx" ON "activities" USING btree ("workspace_id","happened_at","id");--> statement-breakpoint
CREATE INDEX "activities_open_tasks_owner_due_idx" ON "activities" USING btree ("workspace_id","owner_id","due_at","id") WHERE type = 'task' and completed_at is null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "activities_open_tasks_due_idx" ON "activities" USING btree ("workspace_id","due_at","id") WHERE type = 'task' and completed_at is null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_ws_email_idx" ON "contacts" USING btree ("workspace_id","email","id");