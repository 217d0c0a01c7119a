DROP INDEX "accounts_search_idx";--> statement-breakpoint
DROP INDEX "accounts_name_trgm_idx";--> statement-breakpoint
DROP INDEX "contacts_search_idx";--> statement-breakpoint
DROP INDEX "contacts_name_trgm_idx";--> statement-breakpoint
DROP INDEX "contacts_email_trgm_idx";--> statement-breakpoint
DROP INDEX "leads_search_idx";--> statement-breakpoint
DROP INDEX "leads_name_trgm_idx";--> statement-breakpoint
DROP INDEX "opportunities_search_idx";--> statement-breakpoint
DROP INDEX "opportunities_name_trgm_idx";--> statement-breakpoint
CREATE INDEX "accounts_ws_search_idx" ON "accounts" USING gin ("workspace_id","search");--> statement-breakpoint
CREATE INDEX "accounts_ws_name_trgm_idx" ON "accounts" USING gin ("workspace_id",lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "accounts_ws_name_prefix_idx" ON "accounts" USING btree ("workspace_id",lower("name") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "accounts_ws_domain_prefix_idx" ON "accounts" USING btree ("workspace_id",lower("domain") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "accounts_ws_phone_digits_idx" ON "accounts" USING gin ("workspace_id",regexp_replace("phone", '\D', '', 'g') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_ws_search_idx" ON "contacts" USING gin ("workspace_id","search");--> statement-breakpoint
CREATE INDEX "contacts_ws_name_trgm_idx" ON "contacts" USING gin ("workspace_id",lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_ws_email_trgm_idx" ON "contacts" USING gin ("workspace_id",lower("email") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_ws_name_prefix_idx" ON "contacts" USING btree ("workspace_id",lower("name") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_ws_last_name_prefix_idx" ON "contacts" USING btree ("workspace_id",lower("last_name") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_ws_email_prefix_idx" ON "contacts" USING btree ("workspace_id",lower("email") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_ws_phone_digits_idx" ON "contacts" USING gin ("workspace_id",regexp_replace("phone", '\D', '', 'g') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_ws_search_idx" ON "leads" USING gin ("workspace_id","search");--> statement-breakpoint
CREATE INDEX "leads_ws_name_trgm_idx" ON "leads" USING gin ("workspace_id",lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_ws_name_prefix_idx" ON "leads" USING btree ("workspace_id",lower("name") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_ws_last_name_prefix_idx" ON "leads" USING btree ("workspace_id",lower("last_name") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_ws_email_prefix_idx" ON "leads" USING btree ("workspace_id",lower("email") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_ws_company_prefix_idx" ON "leads" USING btree ("workspace_id",lower("company") collate "C") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "leads_ws_phone_digits_idx" ON "leads" USING gin ("workspace_id",regexp_replace("phone", '\D', '', 'g') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "opportunities_ws_search_idx" ON "opportunities" USING gin ("workspace_id","search");--> statement-breakpoint
CREATE INDEX "opportunities_ws_name_trgm_idx" ON "opportunities" USING gin ("workspace_id",lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "opportunities_ws_name_prefix_idx" ON "opportunities" USING btree ("workspace_id",lower("name") collate "C") WHERE deleted_at is null;