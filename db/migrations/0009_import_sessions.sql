CREATE TABLE "import_session_records" (
	"workspace_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_session_records_workspace_id_session_id_entity_type_record_id_pk" PRIMARY KEY("workspace_id","session_id","entity_type","record_id")
);
--> statement-breakpoint
ALTER TABLE "import_session_records" ADD CONSTRAINT "import_session_records_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_session_records_ws_created_idx" ON "import_session_records" USING btree ("workspace_id","created_at");