CREATE TABLE "pipelines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'ui' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custom_fields" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"workspace_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"default_value" jsonb,
	"help_text" text,
	"show_on_card" boolean DEFAULT false NOT NULL,
	"show_in_quick_create" boolean DEFAULT false NOT NULL,
	"filterable" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"source" text DEFAULT 'ui' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reason_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"label" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"source" text DEFAULT 'ui' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "custom" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "custom" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "custom" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "custom" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD COLUMN "pipeline_id" uuid;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD COLUMN "key" text;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD COLUMN "aging_days" integer;--> statement-breakpoint
-- Every existing workspace gets one default pipeline holding its existing stages (and so its deals).
INSERT INTO "pipelines" ("workspace_id", "key", "name", "position", "is_default", "source")
SELECT "id", 'sales', 'Sales', 0, true, 'ui' FROM "workspaces";--> statement-breakpoint
UPDATE "pipeline_stages" s SET "pipeline_id" = p."id" FROM "pipelines" p WHERE p."workspace_id" = s."workspace_id" AND p."is_default";--> statement-breakpoint
ALTER TABLE "pipeline_stages" ALTER COLUMN "pipeline_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "pipelines" ADD CONSTRAINT "pipelines_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_fields" ADD CONSTRAINT "custom_fields_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reason_codes" ADD CONSTRAINT "reason_codes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pipelines_ws_key_unique" ON "pipelines" USING btree ("workspace_id","key") WHERE deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "pipelines_ws_default_unique" ON "pipelines" USING btree ("workspace_id") WHERE is_default and deleted_at is null;--> statement-breakpoint
CREATE INDEX "pipelines_ws_position_idx" ON "pipelines" USING btree ("workspace_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "custom_fields_ws_entity_key_unique" ON "custom_fields" USING btree ("workspace_id","entity","key") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "custom_fields_ws_entity_idx" ON "custom_fields" USING btree ("workspace_id","entity","position");--> statement-breakpoint
CREATE UNIQUE INDEX "reason_codes_ws_kind_value_unique" ON "reason_codes" USING btree ("workspace_id","kind","value") WHERE deleted_at is null;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD CONSTRAINT "pipeline_stages_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pipeline_stages_pipeline_idx" ON "pipeline_stages" USING btree ("pipeline_id","position");