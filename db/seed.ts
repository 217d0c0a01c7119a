import { count, eq } from "drizzle-orm";
import type { Executor } from "./client";
import {
  accounts, activities, contacts, leads, opportunities, opportunityContacts, pipelines, pipelineStages, reasonCodes, users, workspaces,
} from "./schema";
import { refreshStageNorms } from "../worker/ai/stage-norms";
import { hashPassword } from "../worker/lib/password";

export const DEMO_PASSWORD = "bespoke-demo";
export const DEMO_USERS = [
  { email: "admin@demo.test", name: "Ada Admin", role: "ADMIN" as const },
  { email: "user@demo.test", name: "Sam Seller", role: "USER" as const },
  { email: "viewer@demo.test", name: "Vic Viewer", role: "VIEWER" as const },
];

/** Default pipeline for a new workspace; per-client stages are then edited in Settings (PUT /api/pipeline/stages). */
export const DEFAULT_STAGES = [
  { name: "Prospecting", probability: 10, kind: "open" as const },
  { name: "Qualification", probability: 25, kind: "open" as const },
  { name: "Proposal", probability: 50, kind: "open" as const },
  { name: "Negotiation", probability: 75, kind: "open" as const },
  { name: "Closed Won", probability: 100, kind: "won" as const },
  { name: "Closed Lost", probability: 0, kind: "lost" as const },
];

/**
 * Reason codes offered when a deal changes stage, per kind of the target stage (won, lost, or back/forward to an open
 * stage). New workspaces get these; migration 0015 gave them to existing ones (tests/node/bespoke-config.test.ts holds it,
 * the default bespoke.config.ts and this list equal). ADMIN edits them (PUT /api/reason-codes).
 */
export const DEFAULT_REASON_CODES: Record<"open" | "won" | "lost", { value: string; label: string }[]> = {
  open: [
    { value: "progressed", label: "Buyer progressed" },
    { value: "requirements_confirmed", label: "Requirements confirmed" },
    { value: "stalled", label: "Stalled / moved back" },
    { value: "reassessed", label: "Reassessed" },
    { value: "data_correction", label: "Data correction" },
  ],
  won: [
    { value: "price", label: "Price / value" },
    { value: "product_fit", label: "Product fit" },
    { value: "relationship", label: "Relationship" },
    { value: "timing", label: "Timing" },
  ],
  lost: [
    { value: "price", label: "Price" },
    { value: "competitor", label: "Went with a competitor" },
    { value: "no_budget", label: "No budget" },
    { value: "no_decision", label: "No decision" },
    { value: "product_fit", label: "Product fit" },
    { value: "timing", label: "Timing" },
  ],
};

/**
 * A new workspace's default pipeline ("Sales") with the default stages, and the default reason codes, in one
 * executor (call it inside the workspace's creating transaction). Returns the stages in board order.
 */
export async function createDefaultPipeline(tx: Executor, workspaceId: string, declared?: DeclaredPipeline) {
  const p: DeclaredPipeline = declared ?? { key: "sales", name: "Sales", stages: DEFAULT_STAGES };
  const [pipeline] = await tx
    .insert(pipelines)
    .values({ workspaceId, key: p.key, name: p.name, position: 0, isDefault: true, source: declared ? "config" : "ui" })
    .returning({ id: pipelines.id });
  // The stock reason codes are those the default bespoke.config.ts declares, so they are "config" rows: applying a
  // file that declares other codes replaces them, while codes an ADMIN adds stay.
  await tx.insert(reasonCodes).values(
    (["open", "won", "lost"] as const).flatMap((kind) => DEFAULT_REASON_CODES[kind].map((c, position) => ({ workspaceId, kind, ...c, position, source: "config" }))),
  );
  return tx
    .insert(pipelineStages)
    .values(p.stages.map((s, i) => ({ key: s.key ?? null, name: s.name, probability: s.probability, kind: s.kind, agingDays: s.agingDays ?? null, workspaceId, pipelineId: pipeline!.id, position: i })))
    .returning();
}

/** A pipeline as bespoke.config.ts declares it (its default pipeline seeds the demo workspace). */
export interface DeclaredPipeline {
  key: string;
  name: string;
  stages: readonly { key?: string; name: string; probability: number; kind: "open" | "won" | "lost"; agingDays?: number | null }[];
}

/** Small deterministic PRNG so every fresh demo database looks the same. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const COMPANIES = [
  ["Northwind Traders", "northwind.example", "Wholesale"], ["Globex", "globex.example", "Manufacturing"],
  ["Initech", "initech.example", "Software"], ["Umbrella Health", "umbrella-health.example", "Healthcare"],
  ["Stark Logistics", "starklogistics.example", "Logistics"], ["Wayne Foods", "waynefoods.example", "Food & Beverage"],
  ["Acme Robotics", "acme-robotics.example", "Industrial Automation"], ["Hooli Cloud", "hooli.example", "Cloud Services"],
  ["Vandelay Industries", "vandelay.example", "Import/Export"], ["Soylent Energy", "soylent.example", "Energy"],
  ["Tyrell Biotech", "tyrell.example", "Biotech"], ["Cyberdyne Systems", "cyberdyne.example", "Defense"],
  ["Pied Piper", "piedpiper.example", "Software"], ["Gringotts Finance", "gringotts.example", "Financial Services"],
  ["Oceanic Airlines", "oceanic.example", "Aviation"], ["Monarch Retail", "monarch.example", "Retail"],
  ["Blue Sun Media", "bluesun.example", "Media"], ["Aperture Labs", "aperture.example", "Research"],
  ["Massive Dynamic", "massivedynamic.example", "Conglomerate"], ["Wonka Confections", "wonka.example", "Consumer Goods"],
] as const;
const CITIES = [["Berlin", "DE"], ["London", "GB"], ["New York", "US"], ["Austin", "US"], ["Paris", "FR"], ["Toronto", "CA"], ["Sydney", "AU"], ["Singapore", "SG"]] as const;
const FIRST = ["Alice", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor", "Wen", "Yara", "Zoe"];
const LAST = ["Schmidt", "Okafor", "Martin", "Silva", "Nguyen", "Haddad", "Kowalski", "Tanaka", "Moreau", "Berg", "Rossi", "Patel", "Cohen", "Larsen", "Fischer", "Garcia", "Dubois", "Ivanova"];
const TITLES = ["VP Sales", "Head of Operations", "CTO", "Procurement Manager", "CFO", "Director of IT", "Operations Lead", "CEO", "Product Manager", "Finance Controller"];
const PRODUCTS = ["Platform licence", "Expansion", "Pilot", "Annual renewal", "Analytics add-on", "Enterprise rollout", "Support upgrade", "Data migration"];
const LEAD_SOURCES = ["Website", "Referral", "Trade show", "Cold outreach", "Webinar", "Partner", "LinkedIn"];
const LEAD_COMPANIES = ["Brightline Labs", "Cobalt Freight", "Delta Dental Group", "Evergreen Farms", "Foxglove Studios", "Granite Insurance", "Harbor Analytics", "Ironclad Security", "Juniper Hotels", "Kestrel Aero"];

/**
 * Seeds the "Demo Co" workspace when the database holds no workspace at all. Never in production, and never twice:
 * a second call finds the workspace and writes nothing. Returns whether it seeded.
 */
export async function seedDemo(db: Executor, opts: { environment?: string; now?: Date; pipeline?: DeclaredPipeline } = {}): Promise<boolean> {
  if (opts.environment === "production") throw new Error("Refusing to seed demo data into a production database");
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(workspaces);
  if (n > 0) return false;

  const now = opts.now ?? new Date();
  const daysAgo = (d: number, hours = 10) => new Date(now.getTime() - d * 86_400_000 + (hours - 10) * 3_600_000);
  const dateIn = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  const r = rng(20261124);

  return db.transaction(async (tx) => {
    const [ws] = await tx.insert(workspaces).values({ name: "Demo Co", slug: "demo-co" }).returning();
    const wsId = ws!.id;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const team = await tx
      .insert(users)
      .values(DEMO_USERS.map((u) => ({ ...u, workspaceId: wsId, passwordHash })))
      .returning();
    const admin = team.find((u) => u.role === "ADMIN")!;
    const seller = team.find((u) => u.role === "USER")!;
    const owners = [admin, seller];

    const stages = await createDefaultPipeline(tx, wsId, opts.pipeline);

    const accts = await tx
      .insert(accounts)
      .values(
        COMPANIES.map(([name, domain, industry], i) => {
          const [city, country] = CITIES[i % CITIES.length]!;
          return {
            workspaceId: wsId, name, domain, industry, website: `https://${domain}`, city, country,
            phone: `+1 555 01${String(i).padStart(2, "0")}`, employees: r.int(20, 5000),
            annualRevenue: r.int(2, 400) * 100_000_000, currency: "USD", ownerId: r.pick(owners).id,
            createdAt: daysAgo(r.int(120, 400)),
          };
        }),
      )
      .returning();

    const people = await tx
      .insert(contacts)
      .values(
        Array.from({ length: 50 }, (_, i) => {
          const acct = accts[i % accts.length]!;
          const first = FIRST[(i * 7) % FIRST.length]!;
          const last = LAST[(i * 5 + 3) % LAST.length]!;
          return {
            workspaceId: wsId, accountId: acct.id, firstName: first, lastName: last,
            email: `${first}.${last}@${acct.domain}`.toLowerCase(), phone: `+1 555 02${String(i).padStart(2, "0")}`,
            mobilePhone: `+1 555 09${String(i).padStart(2, "0")}`, title: TITLES[i % TITLES.length],
            ownerId: acct.ownerId, createdAt: daysAgo(r.int(60, 300)),
          };
        }),
      )
      .returning();

    const openStages = stages.filter((s) => s.kind === "open");
    const won = stages.find((s) => s.kind === "won")!;
    const lost = stages.find((s) => s.kind === "lost")!;
    const deals = await tx
      .insert(opportunities)
      .values(
        Array.from({ length: 40 }, (_, i) => {
          const acct = accts[i % accts.length]!;
          const stage = i < 30 ? openStages[i % openStages.length]! : i < 36 ? won : lost;
          const inStage = r.int(1, 45);
          const closed = stage.kind !== "open";
          const contact = people.find((p) => p.accountId === acct.id);
          return {
            workspaceId: wsId, name: `${acct.name} — ${PRODUCTS[i % PRODUCTS.length]}`, accountId: acct.id,
            primaryContactId: contact?.id ?? null, ownerId: r.pick(owners).id, stageId: stage.id,
            amount: r.int(5, 250) * 100_000, currency: i % 9 === 4 ? "EUR" : "USD",
            // A few open deals carry a rep's own probability; closed deals follow their stage (100 % / 0 %).
            probability: !closed && i % 7 === 3 ? r.int(2, 9) * 10 : null,
            closeDate: closed ? dateIn(-inStage) : dateIn(r.int(-5, 120)),
            closedAt: closed ? daysAgo(inStage) : null, position: (i + 1) * 1024,
            stageEnteredAt: daysAgo(inStage), createdAt: daysAgo(inStage + r.int(5, 90)),
            nextStep: closed ? null : r.pick(["Send proposal", "Schedule demo", "Security review", "Pricing call", null]),
            source: r.pick(LEAD_SOURCES),
          };
        }),
      )
      .returning();

    await tx.insert(opportunityContacts).values(
      deals.flatMap((d) =>
        people.filter((p) => p.accountId === d.accountId).slice(0, 2).map((p, j) => ({ opportunityId: d.id, contactId: p.id, role: j === 0 ? "Champion" : "Economic buyer" })),
      ),
    );

    await tx.insert(leads).values(
      Array.from({ length: 30 }, (_, i) => {
        const first = FIRST[(i * 3 + 1) % FIRST.length]!;
        const last = LAST[(i * 11 + 2) % LAST.length]!;
        const company = LEAD_COMPANIES[i % LEAD_COMPANIES.length]!;
        return {
          workspaceId: wsId, firstName: first, lastName: last, company, title: TITLES[(i + 4) % TITLES.length],
          email: `${first}.${last}@${company.toLowerCase().replace(/[^a-z]+/g, "")}.example`.toLowerCase(),
          phone: `+1 555 03${String(i).padStart(2, "0")}`,
          status: (["new", "new", "contacted", "qualified", "unqualified"] as const)[i % 5]!,
          source: LEAD_SOURCES[i % LEAD_SOURCES.length], ownerId: r.pick(owners).id, createdAt: daysAgo(r.int(1, 60)),
        };
      }),
    );

    // A history per deal: how it was found, conversations, stage moves with reasons, and the next open task.
    const acts: (typeof activities.$inferInsert)[] = [];
    for (const [i, d] of deals.entries()) {
      const stageIdx = stages.findIndex((s) => s.id === d.stageId);
      const contact = people.find((p) => p.id === d.primaryContactId);
      const who = contact ? `${contact.firstName} ${contact.lastName}` : "the buyer";
      const base = { workspaceId: wsId, opportunityId: d.id, accountId: d.accountId, contactId: contact?.id ?? null };
      const start = Math.round((now.getTime() - d.createdAt.getTime()) / 86_400_000);
      acts.push({ ...base, type: "note", actorId: d.ownerId, subject: "Opportunity opened", body: `Inbound interest via ${d.source}. ${who} is evaluating options for ${d.name.split(" — ")[1]?.toLowerCase()}.`, happenedAt: daysAgo(start) });
      acts.push({ ...base, type: "call", actorId: d.ownerId, subject: `Discovery call with ${who}`, body: `Pain: manual reporting takes ${r.int(2, 10)} days a month. Budget owner is the ${r.pick(TITLES)}. Timeline: this quarter.`, properties: { direction: "outbound", durationMinutes: r.int(15, 60) }, happenedAt: daysAgo(Math.max(1, start - 3)) });
      if (i % 2 === 0) acts.push({ ...base, type: "email", actorId: d.ownerId, subject: `Re: ${d.name}`, body: `${who} asked for a security questionnaire and customer references.`, properties: { direction: "inbound" }, happenedAt: daysAgo(Math.max(1, start - 6)) });
      if (i % 3 === 0) acts.push({ ...base, type: "meeting", actorId: d.ownerId, subject: "Product demo", body: `Demo for ${r.int(3, 8)} stakeholders. Positive on the pipeline view; concerns about migration effort.`, happenedAt: daysAgo(Math.max(1, start - 9)) });
      for (let s = 1; s <= Math.min(stageIdx, 3); s++) {
        acts.push({
          ...base, type: "stage_change", actorId: d.ownerId, subject: `${stages[s - 1]!.name} → ${stages[s]!.name}`,
          properties: { fromStageId: stages[s - 1]!.id, fromStage: stages[s - 1]!.name, toStageId: stages[s]!.id, toStage: stages[s]!.name, reason: r.pick(["Budget confirmed", "Champion identified", "Proposal requested", "Technical fit validated"]) },
          happenedAt: daysAgo(Math.max(1, start - 10 - s * 3)),
        });
      }
      if (stages[stageIdx]!.kind !== "open") {
        const target = stages[stageIdx]!;
        acts.push({ ...base, type: "stage_change", actorId: d.ownerId, subject: `Negotiation → ${target.name}`, properties: { fromStageId: stages[3]!.id, fromStage: "Negotiation", toStageId: target.id, toStage: target.name, reason: target.kind === "won" ? "Contract signed" : "Lost to competitor on price" }, happenedAt: d.closedAt ?? now });
      } else {
        const due = r.int(-4, 10);
        acts.push({ ...base, type: "task", actorId: d.ownerId, ownerId: d.ownerId, subject: d.nextStep ?? `Follow up with ${who}`, dueAt: daysAgo(-due), happenedAt: daysAgo(1) });
      }
    }
    await tx.insert(activities).values(acts);
    // The stage norms the nightly job would store: a new user sees deals rotting past their stage's median at once.
    await refreshStageNorms({ db: tx, workspaceId: wsId });
    return true;
  });
}

/** Workspace id of the demo workspace, for scripts and tests. */
export async function demoWorkspaceId(db: Executor): Promise<string | undefined> {
  const [w] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, "demo-co"));
  return w?.id;
}
