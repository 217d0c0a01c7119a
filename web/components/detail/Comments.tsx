import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { useCurrentUser, hasRole } from "../../lib/auth";
import { useComments, type Comment, type CommentEntity } from "../../lib/comments";
import { formatDateTime } from "../../lib/format";
import { formatRelative } from "../../lib/relative-time";
import { useToast } from "../ui/Toast";
import { CommentComposer } from "./CommentComposer";
import { Markdown } from "./Markdown";

/**
 * Comment threads (one level of replies) on a record or a timeline item. Each comment has the anchor
 * `#comment-<id>`, which mention notifications link to: the page scrolls to it and highlights it.
 */
export function Comments({ entity, id, canWrite, compact = false }: { entity: CommentEntity; id: string; canWrite: boolean; compact?: boolean }) {
  const comments = useComments(entity, id);
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const list = comments.data ?? [];

  // A link to #comment-<id> (a mention notification) scrolls there once the comments are in.
  useEffect(() => {
    const hash = window.location.hash;
    if (!hash.startsWith("#comment-") || !comments.data) return;
    const el = document.getElementById(hash.slice(1));
    if (el) {
      el.scrollIntoView({ block: "center" });
      el.dataset.highlight = "true";
    }
  }, [comments.data]);

  return (
    <div className="space-y-3" aria-label={entity === "activities" ? "Comments on this item" : "Comments"}>
      {comments.isError ? (
        <p className="text-sm text-red-600">Couldn’t load the comments: {errorMessage(comments.error)}</p>
      ) : list.length === 0 && !compact ? (
        <p className="text-sm text-slate-500">No comments yet.</p>
      ) : (
        <ol className="space-y-3">
          {list.map((c) => (
            <li key={c.id}>
              <CommentView comment={c} entity={entity} recordId={id} canWrite={canWrite} onReply={() => setReplyTo(c.id)} />
              {(c.replies?.length ?? 0) > 0 && (
                <ol className="mt-2 ml-6 space-y-2 border-l border-slate-200 pl-3">
                  {c.replies!.map((r) => (
                    <li key={r.id}>
                      <CommentView comment={r} entity={entity} recordId={id} canWrite={canWrite} onReply={() => setReplyTo(c.id)} />
                    </li>
                  ))}
                </ol>
              )}
              {replyTo === c.id && (
                <div className="mt-2 ml-6">
                  <CommentComposer autoFocus submitLabel="Reply" placeholder="Write a reply… (@ to mention)" onCancel={() => setReplyTo(null)} onSubmit={async (body) => {
                    await comments.add(body, c.id);
                    setReplyTo(null);
                  }} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {canWrite && <CommentComposer onSubmit={async (body) => void (await comments.add(body))} />}
    </div>
  );
}

function CommentView({ comment, entity, recordId, canWrite, onReply }: { comment: Comment; entity: CommentEntity; recordId: string; canWrite: boolean; onReply: () => void }) {
  const me = useCurrentUser();
  const toast = useToast();
  const { edit, remove } = useComments(entity, recordId, false);
  const [editing, setEditing] = useState(false);
  const mine = comment.author?.id === me.id;
  const canDelete = mine || hasRole(me, "ADMIN");
  return (
    <article id={`comment-${comment.id}`} className="scroll-mt-24 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm data-[highlight=true]:ring-2 data-[highlight=true]:ring-accent/50" data-comment>
      <header className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-500">
        <span className="font-medium text-slate-900">{comment.author?.name ?? "Someone"}</span>
        <time dateTime={comment.createdAt} title={formatDateTime(comment.createdAt)}>
          {formatRelative(comment.createdAt)}
        </time>
        {comment.editedAt && <span title={`Edited ${formatDateTime(comment.editedAt)}`}>(edited)</span>}
      </header>
      {editing ? (
        <div className="mt-2">
          <CommentComposer initial={comment.body} submitLabel="Save" autoFocus onCancel={() => setEditing(false)} onSubmit={async (body) => {
            await edit(comment.id, body);
            setEditing(false);
          }} />
        </div>
      ) : (
        <div className="mt-1 text-slate-800">
          <Markdown text={comment.body} />
        </div>
      )}
      {!editing && canWrite && (
        <div className="mt-1 flex gap-3 text-xs">
          <button type="button" className="font-medium text-accent hover:underline" onClick={onReply}>
            Reply
          </button>
          {mine && (
            <button type="button" className="text-slate-500 hover:underline" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {canDelete && (
            <button
              type="button"
              className="text-slate-500 hover:text-red-600 hover:underline"
              onClick={() => {
                if (!window.confirm(comment.parentId && entity !== "activities" ? "Delete this reply?" : "Delete this comment and its replies?")) return;
                remove(comment.id).catch((e) => toast.error(`Couldn’t delete: ${errorMessage(e)}`));
              }}
            >
              Delete
            </button>
          )}
        </div>
      )}
    </article>
  );
}
