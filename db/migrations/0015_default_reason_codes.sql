-- Existing workspaces get the reason codes the stage-change dialog used to hard-code (db/seed.ts DEFAULT_REASON_CODES),
-- unless they already have some of that kind.
INSERT INTO "reason_codes" ("workspace_id", "kind", "value", "label", "position", "source")
SELECT w."id", d.kind, d.value, d.label, d.position, 'ui'
FROM "workspaces" w
CROSS JOIN (VALUES
  ('open', 'progressed', 'Buyer progressed', 0),
  ('open', 'requirements_confirmed', 'Requirements confirmed', 1),
  ('open', 'stalled', 'Stalled / moved back', 2),
  ('open', 'reassessed', 'Reassessed', 3),
  ('open', 'data_correction', 'Data correction', 4),
  ('won', 'price', 'Price / value', 0),
  ('won', 'product_fit', 'Product fit', 1),
  ('won', 'relationship', 'Relationship', 2),
  ('won', 'timing', 'Timing', 3),
  ('lost', 'price', 'Price', 0),
  ('lost', 'competitor', 'Went with a competitor', 1),
  ('lost', 'no_budget', 'No budget', 2),
  ('lost', 'no_decision', 'No decision', 3),
  ('lost', 'product_fit', 'Product fit', 4),
  ('lost', 'timing', 'Timing', 5)
) AS d(kind, value, label, position)
WHERE NOT EXISTS (
  SELECT 1 FROM "reason_codes" r WHERE r."workspace_id" = w."id" AND r."kind" = d.kind AND r."deleted_at" IS NULL
);
