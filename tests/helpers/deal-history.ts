import type { Executor } from "../../db/client";
import { accounts, activities, auditLog, contacts, opportunities } from "../../db/schema";

/**
 * A workspace history with realistic dynamics, for the win score's tests and its benchmark: each deal has a hidden
 * quality q. Good deals move faster, hear from more of the buyer's people more often, rarely push their close date or
 * lower their amount; weak ones stall, go quiet, slip, move back a stage and are lost more often. The stages' own
 * probabilities know none of that — the baseline the score must beat. Outcomes follow the stage walk, so a deal's
 * history up to any date says only what had happened by then.
 */
export interface GeneratedHistory {
  deals: { id: string; q: number; won: boolean | null }[];
}

type Stage = { id: string; kind: string; position: number; name: string; pipelineId: string };
const DAY = 86_400_000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateDealHistory(
  db: Executor,
  o: { workspaceId: string; stages: Stage[]; owners: string[]; deals: number; now?: Date; days?: number; seed?: number; chunk?: number },
): Promise<GeneratedHistory> {
  const rand = rng(o.seed ?? 7);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const exp = (mean: number) => -Math.log(rand() + 1e-12) * mean;
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const now = (o.now ?? new Date()).getTime();
  const span = (o.days ?? 400) * DAY;
  const open = o.stages.filter((s) => s.kind === "open").sort((a, b) => a.position - b.position);
  const won = o.stages.find((s) => s.kind === "won")!;
  const lost = o.stages.find((s) => s.kind === "lost")!;
  const ws = o.workspaceId;
  const chunk = o.chunk ?? 500;

  const accs = await db
    .insert(accounts)
    .values(Array.from({ length: Math.max(3, Math.ceil(o.deals / 4)) }, (_, i) => ({ workspaceId: ws, name: `Gen account ${i}`, industry: ["Software", "Retail", "Finance"][i % 3] })))
    .returning({ id: accounts.id });
  const people = await db
    .insert(contacts)
    .values(accs.flatMap((a, i) => [0, 1, 2].map((j) => ({ workspaceId: ws, accountId: a.id, firstName: `P${j}`, lastName: `Gen ${i}` }))))
    .returning({ id: contacts.id, accountId: contacts.accountId });
  const peopleOf = new Map<string, string[]>();
  for (const p of people) peopleOf.set(p.accountId!, [...(peopleOf.get(p.accountId!) ?? []), p.id]);

  const out: GeneratedHistory["deals"] = [];
  for (let start = 0; start < o.deals; start += chunk) {
    const batch = Math.min(chunk, o.deals - start);
    const plans = Array.from({ length: batch }, (_, k) => {
      const i = start + k;
      const ownerIdx = i % o.owners.length;
      const q = normal() + (ownerIdx === 0 ? 0.3 : 0);
      const created = now - span + rand() * span;
      const account = accs[Math.floor(rand() * accs.length)]!.id;
      const moves: { at: number; from: Stage; to: Stage }[] = [];
      let t = created;
      let idx = 0;
      let end: Stage | null = null;
      while (end === null) {
        t += exp(10 * (q < 0 ? 1.8 : 0.8)) * DAY + DAY;
        if (t >= now) break;
        const here = open[idx]!;
        if (q < -0.3 && idx > 0 && rand() < 0.15) {
          moves.push({ at: t, from: here, to: open[idx - 1]! });
          idx--;
          continue;
        }
        if (rand() < sig(0.9 + 1.6 * q)) {
          const next = idx + 1 < open.length ? open[idx + 1]! : won;
          moves.push({ at: t, from: here, to: next });
          if (next === won) end = won;
          else idx++;
        } else {
          moves.push({ at: t, from: here, to: lost });
          end = lost;
        }
      }
      const endAt = end ? moves.at(-1)!.at : now;
      return { q, created, account, owner: o.owners[ownerIdx]!, moves, end, endAt, stage: end ?? open[idx]! };
    });
    const rows = await db
      .insert(opportunities)
      .values(
        plans.map((p, k) => ({
          workspaceId: ws,
          name: `Gen deal ${start + k}`,
          accountId: p.account,
          ownerId: p.owner,
          stageId: p.stage.id,
          amount: Math.round(5 + rand() * 200) * 100_000,
          currency: "USD",
          closeDate: new Date(p.end ? p.endAt : p.endAt + exp(30) * DAY).toISOString().slice(0, 10),
          closedAt: p.end ? new Date(p.endAt) : null,
          createdAt: new Date(p.created),
          stageEnteredAt: new Date(p.moves.at(-1)?.at ?? p.created),
          position: start + k,
        })),
      )
      .returning({ id: opportunities.id });
    const acts: (typeof activities.$inferInsert)[] = [];
    const audits: (typeof auditLog.$inferInsert)[] = [];
    rows.forEach((r, k) => {
      const p = plans[k]!;
      out.push({ id: r.id, q: p.q, won: p.end ? p.end === won : null });
      const base = { workspaceId: ws, opportunityId: r.id, accountId: p.account, actorId: p.owner };
      for (const m of p.moves) {
        acts.push({ ...base, type: "stage_change", subject: `${m.from.name} → ${m.to.name}`, properties: { fromStageId: m.from.id, toStageId: m.to.id }, happenedAt: new Date(m.at) });
      }
      const life = p.endAt - p.created;
      const who = peopleOf.get(p.account) ?? [];
      const engaged = who.slice(0, Math.max(1, Math.min(who.length, Math.round(1 + p.q + rand()))));
      // Touches as Poisson processes over the deal's life: inbound tracks quality, outbound does not.
      const touches = (rate: number, direction: string) => {
        for (let t = p.created + exp(1 / rate) * DAY; t < p.endAt; t += exp(1 / rate) * DAY) {
          acts.push({ ...base, type: rand() < 0.5 ? "call" : "email", subject: `${direction} touch`, contactId: engaged[Math.floor(rand() * engaged.length)] ?? null, properties: { direction }, happenedAt: new Date(t) });
        }
      };
      touches(0.06 * Math.exp(0.9 * p.q), "inbound");
      touches(0.12, "outbound");
      // Weak deals slip: close-date pushes and lowered amounts, recorded as edits in the audit log.
      const pushRate = p.q < 0 ? 0.025 : 0.006;
      let close = new Date(p.created + 45 * DAY);
      for (let t = p.created + exp(1 / pushRate) * DAY; t < p.endAt; t += exp(1 / pushRate) * DAY) {
        const to = new Date(close.getTime() + 21 * DAY);
        audits.push({ workspaceId: ws, actorId: p.owner, action: "update", entityType: "opportunity", entityId: r.id, changes: { closeDate: { from: close.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) } }, at: new Date(t) });
        close = to;
      }
      if (p.q < -0.5 && rand() < 0.4 && life > 10 * DAY) {
        audits.push({ workspaceId: ws, actorId: p.owner, action: "update", entityType: "opportunity", entityId: r.id, changes: { amount: { from: 20_000_000, to: 12_000_000 } }, at: new Date(p.created + life * rand()) });
      }
      if (p.q > 0 && life > 5 * DAY) {
        acts.push({ ...base, type: "task", subject: "Next step", happenedAt: new Date(p.created + life * 0.5), dueAt: new Date(p.endAt + 5 * DAY), completedAt: p.end ? new Date(p.endAt) : null });
      }
    });
    for (let i = 0; i < acts.length; i += 2000) await db.insert(activities).values(acts.slice(i, i + 2000));
    for (let i = 0; i < audits.length; i += 2000) await db.insert(auditLog).values(audits.slice(i, i + 2000));
  }
  return { deals: out };
}
