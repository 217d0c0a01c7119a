import { CheckIcon } from "../icons";

export const STEPS = ["Upload", "Map columns", "Check", "Import"] as const;
export type Step = 0 | 1 | 2 | 3;

/** The wizard's four steps, the current one marked for screen readers (aria-current="step"). */
export function Stepper({ step }: { step: Step }) {
  return (
    <ol className="flex flex-wrap gap-x-6 gap-y-2 text-sm" aria-label="Import steps">
      {STEPS.map((label, i) => (
        <li key={label} aria-current={i === step ? "step" : undefined} className="flex items-center gap-2">
          <span
            className={`inline-flex size-6 items-center justify-center rounded-full text-xs font-semibold ${
              i < step ? "bg-emerald-100 text-emerald-800" : i === step ? "bg-accent text-accent-foreground" : "bg-slate-200 text-slate-600"
            }`}
          >
            {i < step ? <CheckIcon className="size-3.5" aria-label="done" /> : i + 1}
          </span>
          <span className={i === step ? "font-medium text-slate-900" : "text-slate-600"}>{label}</span>
        </li>
      ))}
    </ol>
  );
}
