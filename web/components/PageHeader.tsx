import type { ReactNode } from "react";

/** The title row every page starts with; `actions` sit on the right (wrapping below on narrow screens). */
export function PageHeader({
  title,
  description,
  actions,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Extra content under the title row (summaries, tabs). */
  children?: ReactNode;
}) {
  return (
    <div className="border-b border-slate-200 bg-white">
      <div className="px-4 py-4 sm:px-6">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
          <div className="min-w-0">
            <h1 className="truncate text-lg font-semibold tracking-tight text-slate-900">{title}</h1>
            {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
          </div>
          {actions && <div className="ml-auto flex w-full flex-wrap items-center gap-2 sm:w-auto">{actions}</div>}
        </div>
        {children}
      </div>
    </div>
  );
}
