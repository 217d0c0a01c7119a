import { PageHeader } from "./PageHeader";
import { SparklesIcon } from "./icons";

/**
 * PLACEHOLDER for screens that are not built yet. Each route that renders this is replaced by its real screen
 * in a later issue; search for `<ComingSoon` to find what is left.
 */
export function ComingSoon({ title, description }: { title: string; description?: string }) {
  return (
    <div data-placeholder="coming-soon">
      <PageHeader title={title} />
      <div className="px-4 py-10 sm:px-6">
        <div className="mx-auto max-w-md rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <span className="mx-auto inline-flex size-10 items-center justify-center rounded-full bg-accent-soft text-accent">
            <SparklesIcon width={20} height={20} />
          </span>
          <h2 className="mt-4 text-base font-semibold text-slate-900">{title} is coming soon</h2>
          <p className="mt-1.5 text-sm text-slate-500">
            {description ?? "This part of the CRM is still being built. The pipeline board is ready to use today."}
          </p>
        </div>
      </div>
    </div>
  );
}
