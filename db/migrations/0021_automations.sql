CREATE TABLE "automation_run_steps" (
	"run_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"result" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "automation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"automation_id" uuid NOT NULL,
	"trigger_key" text NOT NULL,
	"trigger_event" jsonb NOT NULL,
	"record_type" text,
	"record_id" uuid,
	"rule" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"first_action_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "automations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"workspace_id" uuid NOT NULL,
	"key" text,
	"name" text NOT NULL,
	"description" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"trigger_type" text NOT NULL,
	"trigger" jsonb NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actions" jsonb NOT NULL,
	"source" text DEFAULT 'ui' NOT NULL,
	"config_hash" text,
	"webhook_token_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "automation_run_steps" ADD CONSTRAINT "automation_run_steps_run_id_automation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."automation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_run_steps" ADD CONSTRAINT "automation_run_steps_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_runs" ADD CONSTRAINT "automation_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_runs" ADD CONSTRAINT "automation_runs_automation_id_automations_id_fk" FOREIGN KEY ("automation_id") REFERENCES "public"."automations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automations" ADD CONSTRAINT "automations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automations" ADD CONSTRAINT "automations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "automation_run_steps_pk" ON "automation_run_steps" USING btree ("run_id","index");--> statement-breakpoint
CREATE UNIQUE INDEX "automation_runs_trigger_unique" ON "automation_runs" USING btree ("automation_id","trigger_key");--> statement-breakpoint
CREATE UNIQUE INDEX "automation_runs_active_record_unique" ON "automation_runs" USING btree ("automation_id","record_id") WHERE status in ('queued', 'running', 'waiting') and record_id is not null;--> statement-breakpoint
CREATE INDEX "automation_runs_history_idx" ON "automation_runs" USING btree ("automation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "automation_runs_ws_created_idx" ON "automation_runs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "automations_ws_trigger_idx" ON "automations" USING btree ("workspace_id","trigger_type") WHERE enabled and deleted_at is null;--> statement-breakpoint
CREATE INDEX "automations_ws_created_idx" ON "automations" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "automations_ws_key_unique" ON "automations" USING btree ("workspace_id","key") WHERE deleted_at is null and key is not null;