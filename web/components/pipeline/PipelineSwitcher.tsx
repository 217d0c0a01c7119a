import { useId } from "react";

export interface PipelineSwitcherProps {
  pipelines: readonly { id: string; name: string; isDefault: boolean }[];
  value: string | undefined;
  onChange: (pipelineId: string) => void;
}

/** Which pipeline the board shows (only rendered when the workspace has more than one). */
export function PipelineSwitcher({ pipelines, value, onChange }: PipelineSwitcherProps) {
  const id = useId();
  return (
    <div className="flex min-w-0 items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Pipeline
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value)}
        className="h-9 w-full min-w-0 truncate sm:w-auto sm:max-w-[14rem] rounded-md border border-slate-300 bg-white pr-8 pl-3 text-sm font-medium text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden"
      >
        {pipelines.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.isDefault ? " (default)" : ""}
          </option>
        ))}
      </select>
    </div>
  );
}
