import type { StageKind } from "../../lib/api-types";
import { CheckIcon } from "../icons";

export interface StagePathProps {
  stages: readonly { id: string; name: string; kind: StageKind; probability: number }[];
  currentId: string;
  canEdit: boolean;
  /** Asks to move the deal (the caller asks for a reason first). */
  onSelect: (stageId: string) => void;
}

/** The deal's stages as a path: done ones ticked, the current one highlighted; another stage is one click away. */
export function StagePath({ stages, currentId, canEdit, onSelect }: StagePathProps) {
  const currentIndex = stages.findIndex((s) => s.id === currentId);
  return (
    <nav aria-label="Stage" className="scrollbar-thin relative -mx-1 overflow-x-auto px-1 pb-1">
      <ol className="flex min-w-max gap-1">
        {stages.map((stage, i) => {
          const current = stage.id === currentId;
          const done = stage.kind === "open" && currentIndex > i && stages[currentIndex]?.kind === "open";
          const tone = current
            ? stage.kind === "won"
              ? "bg-emerald-600 text-white"
              : stage.kind === "lost"
                ? "bg-rose-600 text-white"
                : "bg-accent text-accent-foreground"
            : done
              ? "bg-accent-soft text-slate-800"
              : "bg-slate-100 text-slate-600";
          const label = (
            <>
              {done && <CheckIcon className="size-3.5" />}
              {stage.name}
            </>
          );
          return (
            <li key={stage.id}>
              {canEdit && !current ? (
                <button
                  type="button"
                  aria-label={`Move the deal to ${stage.name}`}
                  onClick={() => onSelect(stage.id)}
                  className={`inline-flex h-8 items-center gap-1 rounded-md px-3 text-xs font-medium whitespace-nowrap transition-colors hover:ring-2 hover:ring-accent/30 ${tone}`}
                >
                  {label}
                </button>
              ) : (
                <span aria-current={current ? "step" : undefined} className={`inline-flex h-8 items-center gap-1 rounded-md px-3 text-xs font-medium whitespace-nowrap ${tone}`}>
                  {label}
                  {current && <span className="sr-only"> (current stage, {stage.probability}%)</span>}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
