import { useState, type ComponentType, type SVGProps } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../lib/format";
import { TARGET_ENTITY, type TimelineItem } from "../../lib/records";
import { formatRelative } from "../../lib/relative-time";
import { ArrowRightIcon, MailIcon, MeetingIcon, NoteIcon, PaperclipIcon, PhoneIcon, SparklesIcon, TaskIcon, UserIcon } from "../icons";
import { Button } from "../ui/Button";
import { Comments } from "./Comments";
import { isAiActivity } from "../../lib/ai-feed";
import { AiEntryHeadline, EarlierSummaries } from "./AiEntry";

type Icon = ComponentType<SVGProps<SVGSVGElement>>;

const TYPES: Record<string, { icon: Icon; verb: string; tone: string }> = {
  note: { icon: NoteIcon, verb: "added a note", tone: "bg-amber-50 text-amber-700 ring-amber-200" },
  call: { icon: PhoneIcon, verb: "logged a call", tone: "bg-sky-50 text-sky-700 ring-sky-200" },
  email: { icon: MailIcon, verb: "logged an e-mail", tone: "bg-indigo-50 text-indigo-700 ring-indigo-200" },
  meeting: { icon: MeetingIcon, verb: "logged a meeting", tone: "bg-violet-50 text-violet-700 ring-violet-200" },
  task: { icon: TaskIcon, verb: "created a task", tone: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  stage_change: { icon: ArrowRightIcon, verb: "moved the deal", tone: "bg-accent-soft text-accent ring-accent/30" },
  lead_converted: { icon: UserIcon, verb: "converted the lead", tone: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  attachment_added: { icon: PaperclipIcon, verb: "attached a file", tone: "bg-slate-100 text-slate-600 ring-slate-200" },
  attachment_deleted: { icon: PaperclipIcon, verb: "removed a file", tone: "bg-slate-100 text-slate-600 ring-slate-200" },
};
const FALLBACK = { icon: NoteIcon, verb: "recorded an activity", tone: "bg-slate-100 text-slate-600 ring-slate-200" };

function typeInfo(type: string) {
  if (TYPES[type]) return TYPES[type];
  if (type.startsWith("ai_")) return { icon: SparklesIcon, verb: "", tone: "bg-fuchsia-50 text-fuchsia-700 ring-fuchsia-200" };
  if (type.startsWith("attachment")) return { ...TYPES.attachment_added!, verb: type.replace(/_/g, " ") };
  return { ...FALLBACK, verb: `recorded ${type.replace(/_/g, " ")}` };
}

export interface TimelineProps {
  items: readonly TimelineItem[];
  /** The record the page shows: items about it do not repeat "on …". */
  recordId: string;
  canEdit: boolean;
  onComplete: (item: TimelineItem) => Promise<void>;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

/** Newest first: icon per type, who, what, when (relative; absolute on hover), on which record. */
export function Timeline({ items, recordId, canEdit, onComplete, hasMore, loadingMore, onLoadMore }: TimelineProps) {
  return (
    <div>
      <ol className="relative space-y-5 before:absolute before:top-2 before:bottom-2 before:left-4 before:w-px before:bg-slate-200" aria-label="Activity timeline">
        {items.map((item) => (
          <TimelineEntry key={item.id} item={item} recordId={recordId} canEdit={canEdit} onComplete={onComplete} />
        ))}
      </ol>
      {hasMore && (
        <div className="mt-5 pl-11">
          <Button size="sm" onClick={onLoadMore} loading={loadingMore}>
            Load older activity
          </Button>
        </div>
      )}
    </div>
  );
}

function TimelineEntry({ item, recordId, canEdit, onComplete }: { item: TimelineItem; recordId: string; canEdit: boolean; onComplete: (item: TimelineItem) => Promise<void> }) {
  const info = typeInfo(item.type);
  const Icon = info.icon;
  const [completing, setCompleting] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const commentCount = (item as { commentCount?: number }).commentCount ?? 0;
  // An item's comments open by themselves when a mention link points at one of them.
  const [showComments, setShowComments] = useState(false);
  const props = item.properties as Record<string, unknown>;
  const isStageChange = item.type === "stage_change";
  const reason = isStageChange ? (typeof props.reason === "string" ? props.reason : item.body) : null;
  const reasonCode = isStageChange && typeof props.reasonCode === "string" ? props.reasonCode : null;
  const body = isStageChange ? null : item.body;
  const long = (body?.length ?? 0) > 280;
  // Items about another record (an account shows its deals' activity) say which one.
  const target = item.target as TimelineItem["target"] | null;
  const onOtherRecord = !!target && target.id !== recordId;
  const isTask = item.type === "task";
  const overdue = isTask && !item.completedAt && item.dueAt && new Date(item.dueAt).getTime() < Date.now();

  return (
    <li id={`activity-${item.id}`} className="relative flex scroll-mt-20 gap-3" data-activity-type={item.type}>
      <span className={`relative z-10 inline-flex size-8 shrink-0 items-center justify-center rounded-full ring-1 ${info.tone}`} aria-hidden="true">
        <Icon className="size-4" />
      </span>
      <div className="min-w-0 flex-1 pt-1">
        <p className="text-sm text-slate-600">
          {isAiActivity(item.type) ? (
            <AiEntryHeadline item={item} />
          ) : (
            <>
              <span className="font-medium text-slate-900">{item.actor?.name ?? (item.type === "email" && typeof props.from === "string" ? props.from : "Someone")}</span>{" "}
              {item.type === "email" && props.direction ? (props.direction === "inbound" ? "e-mailed" : "sent an e-mail") : info.verb}
            </>
          )}
          <CallDetails item={item} />
          {isStageChange && (
            <>
              {" "}
              from <span className="font-medium text-slate-900">{String(props.fromStage ?? "?")}</span> to{" "}
              <span className="font-medium text-slate-900">{String(props.toStage ?? "?")}</span>
            </>
          )}
          {onOtherRecord && target && (
            <>
              {" "}
              on{" "}
              <Link to={`/${TARGET_ENTITY[target.type]}/${target.id}`} className="font-medium text-slate-900 underline decoration-slate-300 underline-offset-2 hover:decoration-slate-500">
                {target.name ?? `this ${target.type}`}
              </Link>
            </>
          )}
          <span aria-hidden="true" className="px-1.5 text-slate-300">
            ·
          </span>
          <time dateTime={item.happenedAt} title={formatDateTime(item.happenedAt)} className="text-slate-500">
            {formatRelative(item.happenedAt)}
            <span className="sr-only"> ({formatDateTime(item.happenedAt)})</span>
          </time>
        </p>
        {(item.subject && !isStageChange) || reason || body || isTask ? (
          <div className="mt-1.5 rounded-lg border border-slate-200 bg-white px-3 py-2.5 text-sm">
            {item.subject && !isStageChange && <p className={`font-medium text-slate-900 ${isTask && item.completedAt ? "line-through decoration-slate-400" : ""}`}>{item.subject}</p>}
            {reason && (
              <p className="text-slate-700">
                <span className="font-medium text-slate-500">Reason: </span>
                {reason}
                {reasonCode && <span className="ml-2 inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{reasonCode.replace(/_/g, " ")}</span>}
              </p>
            )}
            {body && (
              <p className={`whitespace-pre-wrap text-slate-700 ${item.subject ? "mt-1" : ""} ${long && !expanded ? "line-clamp-4" : ""}`}>{body}</p>
            )}
            {long && (
              <button type="button" onClick={() => setExpanded((e) => !e)} className="mt-1 text-xs font-medium text-accent hover:underline" aria-expanded={expanded}>
                {expanded ? "Show less" : "Show more"}
              </button>
            )}
            <EarlierSummaries item={item} />
            {isTask && (
              <div className="mt-2 flex flex-wrap items-center gap-3 text-xs">
                {item.completedAt ? (
                  <span className="font-medium text-emerald-700">Completed {formatRelative(item.completedAt)}</span>
                ) : (
                  <span className={overdue ? "font-medium text-red-600" : "text-slate-500"}>
                    {item.dueAt ? (
                      <>
                        {overdue ? "Overdue: due " : "Due "}
                        <time dateTime={item.dueAt} title={formatDateTime(item.dueAt)}>
                          {formatDateTime(item.dueAt)}
                        </time>
                      </>
                    ) : (
                      "No due date"
                    )}
                  </span>
                )}
                {canEdit && !item.completedAt && (
                  <Button
                    size="sm"
                    loading={completing}
                    onClick={async () => {
                      setCompleting(true);
                      try {
                        await onComplete(item);
                      } finally {
                        setCompleting(false);
                      }
                    }}
                  >
                    Mark complete
                    <span className="sr-only">: {item.subject ?? "task"}</span>
                  </Button>
                )}
              </div>
            )}
          </div>
        ) : null}
        <div className="mt-1">
          <button type="button" className="text-xs font-medium text-slate-500 hover:text-accent hover:underline" aria-expanded={showComments} onClick={() => setShowComments((v) => !v)}>
            {commentCount ? `${commentCount} comment${commentCount === 1 ? "" : "s"}` : "Comment"}
            <span className="sr-only"> on {item.subject ?? info.verb}</span>
          </button>
          {showComments && (
            <div className="mt-2">
              <Comments entity="activities" id={item.id} canWrite={canEdit} compact />
            </div>
          )}
        </div>
      </div>
    </li>
  );
}

const OUTCOME_LABEL: Record<string, string> = {
  connected: "connected",
  left_voicemail: "left a voicemail",
  no_answer: "no answer",
  busy: "busy",
  wrong_number: "wrong number",
  held: "held",
  no_show: "no-show",
  rescheduled: "rescheduled",
  cancelled: "cancelled",
};

/** "(inbound · connected · 2 people)" after a logged call or meeting. */
function CallDetails({ item }: { item: TimelineItem }) {
  if (item.type !== "call" && item.type !== "meeting" && item.type !== "email") return null;
  const p = item.properties as { direction?: string; outcome?: string; contactIds?: string[] };
  const parts = [p.direction, p.outcome ? (OUTCOME_LABEL[p.outcome] ?? p.outcome) : null, p.contactIds && p.contactIds.length > 1 ? `${p.contactIds.length} people` : null].filter(Boolean);
  if (!parts.length) return null;
  return <span className="text-slate-500"> ({parts.join(" · ")})</span>;
}
