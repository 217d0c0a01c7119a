import type { ReactNode } from "react";
import { InboxIcon } from "./icons";

export function EmptyState({
  title,
  description,
  action,
  icon = <InboxIcon width={20} height={20} />,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="mx-auto flex max-w-sm flex-col items-center px-6 py-12 text-center">
      <span className="inline-flex size-10 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        {icon}
      </span>
      <h2 className="mt-4 text-base font-semibold text-slate-900">{title}</h2>
      {description && <p className="mt-1.5 text-sm text-slate-500">{description}</p>}
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}
