-- Reports → activity volume: logged activities per week, owner and type over a period. An index-only range over
-- (workspace, happened_at) with the grouped columns included; drizzle's index builder has no INCLUDE, hence custom SQL.
-- The predicate repeats the report's (human activity types, not deleted).
CREATE INDEX IF NOT EXISTS "activities_ws_volume_idx" ON "activities" USING btree ("workspace_id", "happened_at") INCLUDE ("owner_id", "type", "opportunity_id") WHERE deleted_at is null and type in ('call', 'email', 'meeting', 'note', 'task');
