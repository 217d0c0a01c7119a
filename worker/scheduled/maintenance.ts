import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { purgeDeletedAttachments } from "../services/attachments/remove";
import { purgeIdempotencyKeys } from "../services/idempotency/purge";
import { pruneSessions } from "../services/auth/sessions/prune";
import { refreshStageNorms } from "../ai/stage-norms";
import { pruneSearchWords } from "../services/search/prune-words";
import { purgeExpiredRecords, type PurgeOutcome } from "../services/trash/purge";

export interface MaintenanceOutcome {
  /** Records deleted for good after 30 days in the trash (their attachments are purged by the next step). */
  trashPurged: PurgeOutcome;
  attachments: { purged: number; failed: number };
  idempotencyKeysDeleted: number;
  /** Words of global search's typo dictionary that no live record uses any more. */
  searchWordsPruned: number;
  /** Sessions that ended (expired or revoked) more than 30 days ago. */
  sessionsPruned: number;
  /** Workspaces whose stage-duration norms (the AI's "days in stage" signal) were recomputed. */
  stageNormsRefreshed: number;
}

/**
 * Housekeeping for the cron trigger: finishes attachment deletes whose R2 step failed, drops idempotency keys past
 * their 24 hours, prunes search's word dictionary and long-ended sessions, and recomputes the AI's stage-duration norms. Each part runs even if another fails; the run then throws so
 * the cron shows the failure.
 */
export async function runScheduledMaintenance(env: Env): Promise<MaintenanceOutcome> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`maintenance skipped, configuration is invalid: ${loaded.problems.join("; ")}`);
  const { db, storage } = createServices(env, loaded.config);
  const outcome: MaintenanceOutcome = { trashPurged: { accounts: 0, contacts: 0, leads: 0, opportunities: 0 }, attachments: { purged: 0, failed: 0 }, idempotencyKeysDeleted: 0, searchWordsPruned: 0, sessionsPruned: 0, stageNormsRefreshed: 0 };
  const errors: unknown[] = [];
  try {
    // First: a purged record's attachments are marked deleted here, and the attachment cleanup below removes them.
    outcome.trashPurged = await purgeExpiredRecords({ db }).catch((err) => {
      errors.push(err);
      return outcome.trashPurged;
    });
    // Several batches, so a backlog (R2 was down for a while) clears within one run.
    for (let round = 0; round < 10; round++) {
      const r = await purgeDeletedAttachments({ db, store: storage, limit: 100 }).catch((err) => {
        errors.push(err);
        return null;
      });
      if (!r) break;
      outcome.attachments.purged += r.purged;
      outcome.attachments.failed += r.failed;
      if (r.purged + r.failed < 100 || r.failed > 0) break;
    }
    outcome.idempotencyKeysDeleted = await purgeIdempotencyKeys({ db: db.http }).catch((err) => {
      errors.push(err);
      return 0;
    });
    outcome.searchWordsPruned = await pruneSearchWords({ db: db.http }).catch((err) => {
      errors.push(err);
      return 0;
    });
    outcome.sessionsPruned = await pruneSessions(db.http).catch((err) => {
      errors.push(err);
      return 0;
    });
    outcome.stageNormsRefreshed = await refreshStageNorms({ db: db.http }).catch((err) => {
      errors.push(err);
      return 0;
    });
  } finally {
    await db.close();
  }
  console.log(JSON.stringify({ level: errors.length ? "error" : "info", msg: "maintenance", ...outcome, errors: errors.map(String) }));
  if (errors.length) throw new AggregateError(errors, "maintenance failed");
  return outcome;
}
