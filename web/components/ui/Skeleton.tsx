/** A grey placeholder block; size it with the same classes as the content it stands in for. */
export function Skeleton({ className = "" }: { className?: string }) {
  const radius = className.includes("rounded") ? "" : "rounded";
  return (
    <span
      aria-hidden="true"
      className={`block animate-pulse bg-slate-200 motion-reduce:animate-none ${radius} ${className}`}
    />
  );
}
