CREATE INDEX "accounts_ws_trash_idx" ON "accounts" USING btree ("workspace_id","deleted_at","id") WHERE deleted_at is not null;--> statement-breakpoint
CREATE INDEX "activities_meetings_owner_idx" ON "activities" USING btree ("workspace_id","owner_id","happened_at","id") WHERE type = 'meeting' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "activities_meetings_idx" ON "activities" USING btree ("workspace_id","happened_at","id") WHERE type = 'meeting' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_ws_trash_idx" ON "contacts" USING btree ("workspace_id","deleted_at","id") WHERE deleted_at is not null;--> statement-breakpoint
CREATE INDEX "leads_ws_trash_idx" ON "leads" USING btree ("workspace_id","deleted_at","id") WHERE deleted_at is not null;--> statement-breakpoint
CREATE INDEX "leads_converted_account_idx" ON "leads" USING btree ("converted_account_id") WHERE converted_account_id is not null;--> statement-breakpoint
CREATE INDEX "leads_converted_contact_idx" ON "leads" USING btree ("converted_contact_id") WHERE converted_contact_id is not null;--> statement-breakpoint
CREATE INDEX "opportunities_ws_trash_idx" ON "opportunities" USING btree ("workspace_id","deleted_at","id") WHERE deleted_at is not null;--> statement-breakpoint
CREATE INDEX "opportunities_primary_contact_idx" ON "opportunities" USING btree ("primary_contact_id") WHERE primary_contact_id is not null;