import { Fragment, type ReactNode } from "react";

/**
 * The comment Markdown subset, rendered as React elements (never as HTML, so nothing in a comment can inject markup):
 * paragraphs, `- ` lists, **bold**, *italic*, `code`, [links](https://…) (http, https and mailto only) and mentions
 * `@[Name](user:<id>)`.
 */
const INLINE = /(\*\*[^*\n]+\*\*|\*[^*\n]+\*|`[^`\n]+`|@\[[^\]\n]{1,120}\]\(user:[0-9a-fA-F-]{36}\)|\[[^\]\n]+\]\([^)\s]+\))/g;

function inline(text: string, mentionClass: string): ReactNode[] {
  return text.split(INLINE).map((part, i) => {
    if (!part) return null;
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return <code key={i} className="rounded bg-slate-100 px-1 text-[0.85em]">{part.slice(1, -1)}</code>;
    const mention = /^@\[([^\]]+)\]\(user:([0-9a-fA-F-]{36})\)$/.exec(part);
    if (mention) return <span key={i} className={mentionClass} data-mention={mention[2]}>@{mention[1]}</span>;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link) {
      const href = /^(https?:|mailto:)/i.test(link[2]!) ? link[2]! : null;
      return href ? <a key={i} href={href} target="_blank" rel="noopener noreferrer" className="text-accent underline">{link[1]}</a> : <Fragment key={i}>{link[1]}</Fragment>;
    }
    if (part.startsWith("*") && part.endsWith("*") && part.length > 2) return <em key={i}>{part.slice(1, -1)}</em>;
    return <Fragment key={i}>{part}</Fragment>;
  });
}

export function Markdown({ text, mentionClass = "rounded bg-accent-soft px-1 font-medium text-slate-900" }: { text: string; mentionClass?: string }) {
  const blocks = text.replace(/\r\n/g, "\n").split(/\n{2,}/);
  return (
    <div className="space-y-2">
      {blocks.map((block, b) => {
        const lines = block.split("\n");
        if (lines.every((l) => /^\s*[-*] /.test(l))) {
          return (
            <ul key={b} className="list-disc pl-5">
              {lines.map((l, i) => <li key={i}>{inline(l.replace(/^\s*[-*] /, ""), mentionClass)}</li>)}
            </ul>
          );
        }
        return (
          <p key={b} className="whitespace-pre-wrap">
            {inline(block, mentionClass)}
          </p>
        );
      })}
    </div>
  );
}
