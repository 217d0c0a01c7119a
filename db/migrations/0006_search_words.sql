CREATE TYPE "public"."search_entity" AS ENUM('account', 'contact', 'lead', 'opportunity');--> statement-breakpoint
CREATE TABLE "search_words" (
	"workspace_id" uuid NOT NULL,
	"entity" "search_entity" NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "search_words_workspace_id_entity_word_pk" PRIMARY KEY("workspace_id","entity","word")
);
--> statement-breakpoint
ALTER TABLE "search_words" ADD CONSTRAINT "search_words_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_words_ws_word_trgm_idx" ON "search_words" USING gin ("workspace_id","word" gin_trgm_ops);