/*
 * /accounts/:id, /contacts/:id, /leads/:id, /opportunities/:id — one module for the four detail pages.
 * The record, its timeline, its attachments and its AI summary load in parallel (no waterfall): only the
 * header and fields wait for the record itself.
 */
import { useShowAiEntries } from "../lib/ai-feed";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ActivityComposer, type ComposerValues } from "../components/detail/ActivityComposer";
import { AttachmentsPanel } from "../components/detail/AttachmentsPanel";
import { Comments } from "../components/detail/Comments";
import { EmailComposer, type EmailPrefill } from "../components/detail/EmailComposer";
import { InlineField } from "../components/detail/InlineField";
import { ContactLinks, EmptyLine, NextTask, OpportunityLinks, RelatedSection } from "../components/detail/RelatedPanel";
import { StagePath } from "../components/detail/StagePath";
import { Timeline } from "../components/detail/Timeline";
import { ErrorState } from "../components/ErrorState";
import { ChevronRightIcon, PlusIcon, TrashIcon } from "../components/icons";
import { ConflictDialog } from "../components/pipeline/ConflictDialog";
import { StageChangeDialog, type StageChangeReason } from "../components/pipeline/StageChangeDialog";
import { Badge } from "../components/ui/Badge";
import { Button } from "../components/ui/Button";
import { ConfirmDialog } from "../components/ui/ConfirmDialog";
import { Skeleton } from "../components/ui/Skeleton";
import { Spinner } from "../components/ui/Spinner";
import { useToast } from "../components/ui/Toast";
import { ApiError, errorMessage } from "../lib/api";
import { hasRole, useCurrentUser } from "../lib/auth";
import { useAppCommands } from "../lib/commands";
import { formatDateTime, formatMoney } from "../lib/format";
import { LEAD_STATUS_LABEL, LEAD_STATUS_TONE } from "../lib/labels";
import { rememberAccountName, useStages } from "../lib/lookups";
import { usePipelines, useReasonCodes } from "../lib/pipelines";
import {
  createActivity,
  deleteRecord,
  downloadAttachment,
  ENTITY_TARGET,
  restoreRecord,
  searchAccounts,
  updateActivity,
  updateOpportunity,
  updateRecord,
  type AccountDetail,
  type ActivityCreate,
  type Attachment,
  type ContactDetail,
  type DetailByEntity,
  type LeadDetail,
  type Opportunity,
  type OpportunityDetail,
  type OpportunityPatch,
  type RecordEntity,
  type TimelineItem,
} from "../lib/records";
import { formatRelative } from "../lib/relative-time";
import { rememberRecent } from "../lib/search";
import { useAttachments } from "../lib/useAttachments";
import { queries } from "../lib/queries";
import { useQueryResource } from "../lib/useResource";
import { useTimeline } from "../lib/useTimeline";
import { useUsers } from "../lib/useUsers";
import { AiInsights } from "./detail/AiInsights";
import { WinScorePanel } from "../components/insights/WinScorePanel";
import { fieldsFor } from "./detail/fields";
import { useMeta } from "../lib/meta";

const ConvertLeadDialog = lazy(() => import("../components/ConvertLeadDialog"));

const ENTITY_LABEL: Record<RecordEntity, { one: string; many: string }> = {
  accounts: { one: "Account", many: "Accounts" },
  contacts: { one: "Contact", many: "Contacts" },
  leads: { one: "Lead", many: "Leads" },
  opportunities: { one: "Opportunity", many: "Opportunities" },
};

function entityFromPath(pathname: string): RecordEntity {
  const segment = pathname.split("/")[1];
  return segment === "accounts" || segment === "contacts" || segment === "leads" ? segment : "opportunities";
}

function titleOf(entity: RecordEntity, record: DetailByEntity[RecordEntity]): string {
  const r = record as { name?: string | null; email?: string | null };
  return r.name?.trim() || r.email || `Unnamed ${ENTITY_LABEL[entity].one.toLowerCase()}`;
}

interface Conflict {
  current: Opportunity;
  attempted: OpportunityPatch;
}

/** Thrown to an editor when a 409 was handed to the conflict dialog: the editor shows a short note, not an error. */
class ConflictShown extends Error {}

export default function RecordDetailRoute() {
  const { id = "" } = useParams();
  const { pathname } = useLocation();
  const entity = entityFromPath(pathname);
  // Remount per record: no state (editors, uploads, AI drafts) carries over from the previous one.
  return <RecordDetail key={`${entity}/${id}`} entity={entity} id={id} />;
}

function RecordDetail({ entity, id }: { entity: RecordEntity; id: string }) {
  const user = useCurrentUser();
  const canEdit = hasRole(user, "USER");
  const isAdmin = hasRole(user, "ADMIN");
  const toast = useToast();
  const navigate = useNavigate();
  const commands = useAppCommands();
  const { users, nameOf } = useUsers();
  const label = ENTITY_LABEL[entity];
  const target = ENTITY_TARGET[entity];

  const resource = useQueryResource(queries.record(entity, id));
  const record = resource.data;
  const [showAi, setShowAi] = useShowAiEntries(user.id);
  const timeline = useTimeline(entity, id, showAi ? "latest" : "hide");
  const attachments = useAttachments(entity, id);
  const stages = useStages();

  const title = record ? titleOf(entity, record) : null;
  // Who may have been on a call or meeting logged here: the deal's or account's contacts, or the contact itself.
  const composerPeople = useMemo(() => {
    if (!record) return [];
    if (entity === "contacts") return [{ id: record.id, name: title ?? "This contact" }];
    const related = (record as { related?: { contacts?: { id: string; name: string | null }[] } }).related;
    return (related?.contacts ?? []).map((c) => ({ id: c.id, name: c.name ?? "Unnamed contact" }));
  }, [entity, record, title]);
  useEffect(() => {
    if (!record || !title) return;
    document.title = `${title} · ${label.one}`;
    rememberRecent(user.id, { id: record.id, type: target, title, subtitle: label.one });
    if (entity === "accounts") rememberAccountName(record.id, title);
  }, [record, title, label.one, user.id, target, entity]);

  // ----------------------------------------------------------------------------------------------------
  // Saving

  const [conflict, setConflict] = useState<Conflict | null>(null);
  // The composer, open blank or with an AI draft (`n` tells drafts apart, so a newer one replaces the form).
  const [composingEmail, setComposingEmail] = useState<{ n: number; prefill?: EmailPrefill } | null>(null);
  const [stageMove, setStageMove] = useState<string | null>(null);
  const [pipelineMove, setPipelineMove] = useState(false);
  const reasonCodes = useReasonCodes();
  const pipelines = usePipelines();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [converting, setConverting] = useState(false);

  const merge = useCallback(
    (updated: Record<string, unknown>, refetch: boolean) => {
      resource.setData((current) => (current ? ({ ...current, ...updated, related: current.related } as typeof current) : current));
      // Changing a link (owner, account, stage) changes what `related` shows: fetch it again.
      if (refetch) resource.reload();
    },
    [resource],
  );

  const saveFields = useCallback(
    async (patch: Record<string, unknown>, what: string) => {
      if (!record) return;
      const refetch = ["ownerId", "accountId", "stageId", "probability"].some((k) => k in patch);
      if (entity === "opportunities") {
        const opp = record as OpportunityDetail;
        try {
          const updated = await updateOpportunity(id, { ...(patch as OpportunityPatch), version: opp.version });
          merge(updated, refetch);
        } catch (error) {
          const current = error instanceof ApiError && error.status === 409 ? (error.extensions.current as Opportunity | undefined) : undefined;
          if (current) {
            setConflict({ current, attempted: patch as OpportunityPatch });
            throw new ConflictShown("Someone else changed this deal meanwhile: review their version.");
          }
          throw error;
        }
      } else {
        const updated = await updateRecord(entity, id, patch);
        merge(updated as Record<string, unknown>, refetch);
      }
      toast.success(`${what} saved.`);
    },
    [record, entity, id, merge, toast],
  );

  async function reapply() {
    if (!conflict) return;
    try {
      const updated = await updateOpportunity(id, { ...conflict.attempted, version: conflict.current.version });
      merge(updated, true);
      setConflict(null);
      toast.success("Your change was saved on top of the newer version.");
      if (conflict.attempted.stageId) timeline.refresh();
    } catch (error) {
      const current = error instanceof ApiError && error.status === 409 ? (error.extensions.current as Opportunity | undefined) : undefined;
      if (current) return setConflict({ ...conflict, current });
      throw error;
    }
  }

  async function confirmStageMove(reason: StageChangeReason) {
    if (!stageMove) return;
    try {
      await saveFields({ stageId: stageMove, stageChangeReason: reason }, "Stage");
      timeline.refresh();
    } catch (error) {
      if (!(error instanceof ConflictShown)) throw error;
    }
    setStageMove(null);
  }

  async function confirmPipelineMove(reason: StageChangeReason, toStageId?: string) {
    if (!toStageId) return;
    try {
      await saveFields({ stageId: toStageId, stageChangeReason: reason }, "Pipeline");
      timeline.refresh();
    } catch (error) {
      if (!(error instanceof ConflictShown)) throw error;
    }
    setPipelineMove(false);
  }

  /** The composer's default recipient: the contact's address, or a deal's primary (else first) contact's. */
  function emailOf(r: typeof record): string {
    if (!r) return "";
    const x = r as { email?: string | null; related?: { contacts?: { email?: string | null; isPrimary?: boolean }[] } };
    if (entity === "contacts") return x.email ?? "";
    const cs = x.related?.contacts ?? [];
    return (cs.find((c) => c.isPrimary) ?? cs[0])?.email ?? "";
  }

  async function logActivity(values: ComposerValues) {
    const body: ActivityCreate = {
      type: values.type,
      subject: values.subject,
      body: values.body,
      ...(values.type === "task" ? { dueAt: values.dueAt } : {}),
      ...(values.direction ? { direction: values.direction } : {}),
      ...(values.outcome ? { outcome: values.outcome } : {}),
      ...(values.contactIds?.length ? { contactIds: values.contactIds } : {}),
      [`${target}Id`]: id,
    } as ActivityCreate;
    await createActivity(body);
    toast.success(values.type === "task" ? "Task added." : `${values.type[0]!.toUpperCase()}${values.type.slice(1)} logged.`);
    timeline.refresh();
    if (values.type === "task") resource.reload();
  }

  async function completeTask(item: TimelineItem) {
    try {
      const updated = await updateActivity(item.id, { completed: true });
      timeline.replace(item.id, { completedAt: updated.completedAt });
      toast.success(`Completed “${item.subject ?? "task"}”.`);
      resource.reload();
    } catch (error) {
      toast.error(`Couldn’t complete the task: ${errorMessage(error)}`);
    }
  }

  async function remove() {
    await deleteRecord(entity, id);
    setConfirmDelete(false);
    navigate(`/${entity}`);
    toast.show(`${label.one} “${title}” moved to the trash.`, {
      action: {
        label: "Undo",
        onClick: () =>
          void restoreRecord(entity, id).then(
            () => {
              toast.success(`${label.one} restored.`);
              navigate(`/${entity}/${id}`);
            },
            (error: unknown) => toast.error(`Couldn’t restore: ${errorMessage(error)}`),
          ),
      },
    });
  }

  const findAccounts = useCallback(async (q: string, signal: AbortSignal) => (await searchAccounts(q, { signal })).map((a) => ({ id: a.id, name: a.name, hint: a.domain })), []);
  const meta = useMeta();
  const fields = useMemo(() => (record ? fieldsFor(entity, record, { users, nameOf, searchAccounts: findAccounts, meta }) : []), [entity, record, users, nameOf, findAccounts, meta]);

  if (resource.status === "error") {
    const notFound = resource.error instanceof ApiError && resource.error.status === 404;
    return (
      <ErrorState
        title={notFound ? `${label.one} not found` : `Couldn’t load this ${label.one.toLowerCase()}`}
        error={notFound ? new Error(`It may have been deleted, or the link is wrong. Find it from the ${label.many.toLowerCase()} list.`) : resource.error}
        onRetry={notFound ? undefined : resource.reload}
      />
    );
  }

  const opp = entity === "opportunities" ? (record as OpportunityDetail | undefined) : undefined;
  const lead = entity === "leads" ? (record as LeadDetail | undefined) : undefined;
  const allStages = stages ?? [];
  const currentStage = opp ? allStages.find((s) => s.id === opp.stageId) : undefined;
  // The deal's path is its own pipeline's stages.
  const stageList = currentStage ? allStages.filter((s) => s.pipelineId === currentStage.pipelineId) : allStages;
  const otherPipelines = (pipelines ?? []).filter((p) => p.id !== currentStage?.pipelineId);

  return (
    <div className="flex-1">
      <div className="border-b border-slate-200 bg-white">
        <div className="px-4 pt-3 pb-4 sm:px-6">
          <nav aria-label="Breadcrumb" className="text-xs text-slate-500">
            <ol className="flex items-center gap-1">
              <li>
                <Link to={entity === "opportunities" ? "/pipeline" : `/${entity}`} className="hover:text-slate-800 hover:underline">
                  {entity === "opportunities" ? "Pipeline" : label.many}
                </Link>
              </li>
              <li aria-hidden="true">
                <ChevronRightIcon className="size-3" />
              </li>
              <li aria-current="page" className="truncate">
                {title ?? "…"}
              </li>
            </ol>
          </nav>
          <div className="mt-2 flex flex-wrap items-start gap-x-4 gap-y-3">
            <div className="min-w-0 flex-1">
              {record ? (
                <h1 className="text-xl font-semibold tracking-tight break-words text-slate-900">{title}</h1>
              ) : (
                <Skeleton className="h-7 w-64" />
              )}
              <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-500">
                <span>{label.one}</span>
                {record && <HeaderFacts entity={entity} record={record} />}
                {record && (
                  <span>
                    Updated <time dateTime={record.updatedAt} title={formatDateTime(record.updatedAt)}>{formatRelative(record.updatedAt)}</time>
                  </span>
                )}
              </div>
            </div>
            {record && (
              <div className="flex flex-wrap items-center gap-2">
                {resource.isRefreshing && <Spinner className="size-4 text-slate-400" label="Refreshing" />}
                {lead && canEdit && lead.status !== "converted" && (
                  <Button variant="primary" onClick={() => setConverting(true)}>
                    Convert lead
                  </Button>
                )}
                {entity === "accounts" && canEdit && (
                  <>
                    <Button onClick={() => commands.openQuickCreate("contact", { account: { id, name: title ?? "" } })}>
                      <PlusIcon className="size-4" />
                      Contact
                    </Button>
                    <Button onClick={() => commands.openQuickCreate("opportunity", { account: { id, name: title ?? "" } })}>
                      <PlusIcon className="size-4" />
                      Deal
                    </Button>
                  </>
                )}
                {opp && canEdit && otherPipelines.length > 0 && (
                  <Button onClick={() => setPipelineMove(true)}>Move to pipeline…</Button>
                )}
                {isAdmin && (
                  <Button variant="ghost" onClick={() => setConfirmDelete(true)}>
                    <TrashIcon className="size-4" />
                    Delete
                  </Button>
                )}
              </div>
            )}
          </div>
          {opp && stageList.length > 0 && (
            <div className="mt-4">
              {otherPipelines.length > 0 && currentStage && <p className="mb-2 text-xs font-medium text-slate-500">{currentStage.pipelineName} pipeline</p>}
              <StagePath stages={stageList} currentId={opp.stageId} canEdit={canEdit} onSelect={setStageMove} />
            </div>
          )}
        </div>
      </div>

      <div className="grid gap-4 px-4 py-4 sm:px-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-6 lg:py-6">
        <div className="min-w-0 space-y-6">
          <section aria-labelledby="details-title" className="rounded-xl border border-slate-200 bg-white px-4 py-3">
            <h2 id="details-title" className="text-sm font-semibold text-slate-900">
              Details
            </h2>
            {record ? (
              <div className="mt-2 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2">
                {fields.map((f) => (
                  <InlineField
                    key={f.name}
                    name={f.name}
                    label={f.label}
                    value={f.value}
                    display={f.display}
                    kind={f.kind}
                    hint={f.hint}
                    wide={f.wide}
                    link={f.link}
                    validate={f.validate}
                    canEdit={canEdit && !(entity === "leads" && f.name === "status" && lead?.status === "converted")}
                    onSave={(v) => saveFields(f.toPatch(v), f.label.replace(/ \(.*\)$/, ""))}
                  />
                ))}
              </div>
            ) : (
              <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2" aria-hidden="true">
                {Array.from({ length: 8 }, (_, i) => (
                  <div key={i}>
                    <Skeleton className="h-3 w-20" />
                    <Skeleton className="mt-2 h-5 w-40" />
                  </div>
                ))}
              </div>
            )}
          </section>

          <section aria-labelledby="comments-title">
            <h2 id="comments-title" className="text-sm font-semibold text-slate-900">
              Comments
            </h2>
            <div className="mt-3">
              <Comments entity={entity} id={id} canWrite={canEdit} />
            </div>
          </section>

          <section aria-labelledby="activity-title">
            <div className="flex items-center justify-between gap-2">
              <h2 id="activity-title" className="text-sm font-semibold text-slate-900">
                Activity
              </h2>
              <label className="inline-flex items-center gap-1.5 text-xs text-slate-600">
                <input type="checkbox" className="size-3.5 rounded border-slate-300 accent-(--color-accent)" checked={showAi} onChange={(e) => setShowAi(e.target.checked)} />
                Show AI entries
              </label>
            </div>
            {canEdit && (
              <div className="mt-3">
                <ActivityComposer key={id} onSubmit={logActivity} people={composerPeople} defaultPeople={entity === "contacts" ? [id] : []} />
              </div>
            )}
            {canEdit && (entity === "contacts" || entity === "opportunities") && (
              <div className="mt-3">
                {composingEmail ? (
                  <EmailComposer
                    key={composingEmail.n}
                    entity={entity}
                    id={id}
                    defaultTo={emailOf(record)}
                    prefill={composingEmail.prefill}
                    onClose={() => setComposingEmail(null)}
                    onSent={() => {
                      setComposingEmail(null);
                      toast.success("E-mail sent and logged.");
                      timeline.refresh();
                    }}
                  />
                ) : (
                  <Button size="sm" onClick={() => setComposingEmail({ n: 0 })}>
                    Send e-mail
                  </Button>
                )}
              </div>
            )}
            <div className="mt-4">
              {timeline.status === "loading" ? (
                <div className="space-y-4" aria-hidden="true">
                  {[0, 1, 2].map((i) => (
                    <div key={i} className="flex gap-3">
                      <Skeleton className="size-8 rounded-full" />
                      <div className="flex-1">
                        <Skeleton className="h-4 w-2/3" />
                        <Skeleton className="mt-2 h-12 w-full" />
                      </div>
                    </div>
                  ))}
                </div>
              ) : timeline.status === "error" ? (
                <ErrorState title="Couldn’t load the activity" error={timeline.error} onRetry={timeline.refresh} />
              ) : timeline.items.length === 0 ? (
                <EmptyLine>No activity yet.{canEdit && " Log a note, call, meeting or task above."}</EmptyLine>
              ) : (
                <Timeline
                  items={timeline.items}
                  recordId={id}
                  canEdit={canEdit}
                  onComplete={completeTask}
                  hasMore={timeline.hasMore}
                  loadingMore={timeline.loadingMore}
                  onLoadMore={timeline.loadMore}
                />
              )}
            </div>
          </section>
        </div>

        <aside className="min-w-0 space-y-4" aria-label="Related">
          {record && <Related entity={entity} record={record} nameOf={nameOf} />}
          <AttachmentsPanel
            attachments={attachments.list.data}
            status={attachments.list.status}
            error={attachments.list.error}
            onRetry={attachments.list.reload}
            uploads={attachments.uploads}
            canUpload={canEdit}
            canDelete={canEdit}
            onUpload={(files) =>
              void attachments.upload(files).then((done) => {
                if (done.length) {
                  toast.success(done.length === 1 ? `Uploaded ${done[0]!.filename}.` : `Uploaded ${done.length} files.`);
                  timeline.refresh();
                }
              })
            }
            onCancelUpload={attachments.cancelUpload}
            onDownload={async (a: Attachment) => {
              try {
                await downloadAttachment(a);
              } catch (error) {
                toast.error(`Couldn’t download ${a.filename}: ${errorMessage(error)}`);
              }
            }}
            onDelete={async (a: Attachment) => {
              await attachments.remove(a);
              toast.success(`Deleted ${a.filename}.`);
              timeline.refresh();
            }}
            uploaderName={(by) => by?.name ?? "Unknown"}
          />
          {target === "opportunity" && <WinScorePanel opportunityId={id} />}
          <AiInsights
            targetType={target}
            targetId={id}
            canGenerate={canEdit}
            onActivityCreated={timeline.refresh}
            onSendDraft={(prefill) => setComposingEmail((open) => ({ n: (open?.n ?? 0) + 1, prefill }))}
          />
        </aside>
      </div>

      {stageMove && opp && (
        <StageChangeDialog
          dealName={opp.name}
          from={{ name: stageList.find((s) => s.id === opp.stageId)?.name ?? opp.related.stage?.name ?? "Current stage" }}
          to={stageList.find((s) => s.id === stageMove) ?? { name: "New stage", kind: "open" }}
          reasonCodes={reasonCodes}
          onConfirm={confirmStageMove}
          onCancel={() => setStageMove(null)}
        />
      )}
      {pipelineMove && opp && (
        <StageChangeDialog
          dealName={opp.name}
          from={{ name: currentStage ? `${currentStage.pipelineName}: ${currentStage.name}` : "Current stage" }}
          pipelines={otherPipelines}
          reasonCodes={reasonCodes}
          onConfirm={confirmPipelineMove}
          onCancel={() => setPipelineMove(false)}
        />
      )}
      {conflict && (
        <ConflictDialog
          current={conflict.current}
          attempted={conflict.attempted}
          stageName={(sid) => allStages.find((s) => s.id === sid)?.name ?? "Unknown stage"}
          userName={nameOf}
          onReapply={reapply}
          onDiscard={() => {
            setConflict(null);
            setStageMove(null);
            resource.reload();
          }}
        />
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete “${title}”?`}
          message={`The ${label.one.toLowerCase()} moves to the trash; an admin can restore it.`}
          confirmLabel={`Delete ${label.one.toLowerCase()}`}
          tone="danger"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={remove}
        />
      )}
      {converting && lead && (
        <Suspense fallback={null}>
          <ConvertLeadDialog
            lead={lead}
            onDone={(result) => {
              setConverting(false);
              if (!result) return;
            }}
          />
        </Suspense>
      )}
    </div>
  );
}

function HeaderFacts({ entity, record }: { entity: RecordEntity; record: DetailByEntity[RecordEntity] }) {
  switch (entity) {
    case "accounts": {
      const a = record as AccountDetail;
      return a.industry ? <span>{a.industry}</span> : null;
    }
    case "contacts": {
      const c = record as ContactDetail;
      return c.related.account ? (
        <span>
          {c.title ? `${c.title} at ` : "at "}
          <Link to={`/accounts/${c.related.account.id}`} className="font-medium text-slate-700 hover:underline">
            {c.related.account.name}
          </Link>
        </span>
      ) : c.title ? (
        <span>{c.title}</span>
      ) : null;
    }
    case "leads": {
      const l = record as LeadDetail;
      return (
        <>
          <Badge tone={LEAD_STATUS_TONE[l.status]}>{LEAD_STATUS_LABEL[l.status]}</Badge>
          {l.company && <span>{l.company}</span>}
        </>
      );
    }
    default: {
      const o = record as OpportunityDetail;
      return (
        <>
          {o.related.account && (
            <Link to={`/accounts/${o.related.account.id}`} className="font-medium text-slate-700 hover:underline">
              {o.related.account.name}
            </Link>
          )}
          {o.amount !== null && <span className="tabular font-medium text-slate-900">{formatMoney(o.amount, o.currency)}</span>}
        </>
      );
    }
  }
}

function Related({ entity, record, nameOf }: { entity: RecordEntity; record: DetailByEntity[RecordEntity]; nameOf: (id: string | null) => string }) {
  switch (entity) {
    case "accounts": {
      const a = record as AccountDetail;
      return (
        <>
          <RelatedSection title="Open deals" count={a.related.openOpportunities.length}>
            <OpportunityLinks opportunities={a.related.openOpportunities} />
            {a.related.counts.opportunities > a.related.openOpportunities.length && (
              <Link to={`/opportunities?accountId=${a.id}`} className="block py-2 text-xs font-medium text-accent hover:underline">
                All {a.related.counts.opportunities} deals
              </Link>
            )}
          </RelatedSection>
          <RelatedSection title="Contacts" count={a.related.counts.contacts}>
            <ContactLinks contacts={a.related.contacts} />
            {a.related.counts.contacts > a.related.contacts.length && (
              <Link to={`/contacts?accountId=${a.id}`} className="block py-2 text-xs font-medium text-accent hover:underline">
                All {a.related.counts.contacts} contacts
              </Link>
            )}
          </RelatedSection>
        </>
      );
    }
    case "contacts": {
      const c = record as ContactDetail;
      return (
        <>
          <RelatedSection title="Next task">
            <NextTask task={c.related.nextTask} />
          </RelatedSection>
          <RelatedSection title="Deals" count={c.related.opportunities.length}>
            <OpportunityLinks opportunities={c.related.opportunities} />
          </RelatedSection>
        </>
      );
    }
    case "leads": {
      const l = record as LeadDetail;
      const conv = l.related.converted;
      return (
        <>
          {conv && (
            <RelatedSection title="Converted to">
              <ul className="space-y-1 py-2 text-sm">
                {conv.account && (
                  <li>
                    Account: <Link to={`/accounts/${conv.account.id}`} className="font-medium text-slate-900 hover:underline">{conv.account.name}</Link>
                  </li>
                )}
                {conv.contact && (
                  <li>
                    Contact: <Link to={`/contacts/${conv.contact.id}`} className="font-medium text-slate-900 hover:underline">{conv.contact.name}</Link>
                  </li>
                )}
                {conv.opportunity && (
                  <li>
                    Deal: <Link to={`/opportunities/${conv.opportunity.id}`} className="font-medium text-slate-900 hover:underline">{conv.opportunity.name}</Link>
                  </li>
                )}
              </ul>
            </RelatedSection>
          )}
          <RelatedSection title="Next task">
            <NextTask task={l.related.nextTask} />
          </RelatedSection>
        </>
      );
    }
    default: {
      const o = record as OpportunityDetail;
      return (
        <>
          <RelatedSection title="Next task">
            <NextTask task={o.related.nextTask} />
          </RelatedSection>
          <RelatedSection title="Contacts" count={o.related.contacts.length}>
            <ContactLinks contacts={o.related.contacts} />
          </RelatedSection>
        </>
      );
    }
  }
}
