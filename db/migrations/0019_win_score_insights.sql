CREATE TABLE "forecast_snapshots" (
	"workspace_id" uuid NOT NULL,
	"week" date NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"owner_id" uuid,
	"amount" bigint,
	"currency" char(3) NOT NULL,
	"close_date" date,
	"probability" integer NOT NULL,
	"score" integer,
	"source" text DEFAULT 'cron' NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forecast_snapshots_workspace_id_week_opportunity_id_pk" PRIMARY KEY("workspace_id","week","opportunity_id")
);
--> statement-breakpoint
CREATE TABLE "score_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"closed_deals" integer NOT NULL,
	"training_rows" integer NOT NULL,
	"model" jsonb NOT NULL,
	"quality" jsonb NOT NULL,
	"fitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "win_score" integer;--> statement-breakpoint
ALTER TABLE "forecast_snapshots" ADD CONSTRAINT "forecast_snapshots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_models" ADD CONSTRAINT "score_models_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forecast_snapshots_ws_close_idx" ON "forecast_snapshots" USING btree ("workspace_id","week","close_date");--> statement-breakpoint
CREATE UNIQUE INDEX "score_models_ws_version_unique" ON "score_models" USING btree ("workspace_id","version");--> statement-breakpoint
CREATE INDEX "opportunities_ws_win_score_idx" ON "opportunities" USING btree ("workspace_id","win_score","id");--> statement-breakpoint
CREATE INDEX "opportunities_stage_entered_idx" ON "opportunities" USING btree ("workspace_id","stage_id","stage_entered_at") WHERE deleted_at is null;