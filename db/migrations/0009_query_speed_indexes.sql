CREATE TABLE "ai_stage_norms" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"norms" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "activities_ws_recent_idx";--> statement-breakpoint
DROP INDEX "activities_open_tasks_idx";--> statement-breakpoint
ALTER TABLE "ai_stage_norms" ADD CONSTRAINT "ai_stage_norms_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_ws_happened_idx" ON "activities" USING btree ("workspace_id","happened_at","id");--> statement-breakpoint
CREATE INDEX "activities_open_tasks_owner_due_idx" ON "activities" USING btree ("workspace_id","owner_id","due_at","id") WHERE type = 'task' and completed_at is null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "activities_open_tasks_due_idx" ON "activities" USING btree ("workspace_id","due_at","id") WHERE type = 'task' and completed_at is null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_ws_email_idx" ON "contacts" USING btree ("workspace_id","email","id");