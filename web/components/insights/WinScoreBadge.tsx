/** The win score as a small badge: green from 60, amber from 30, red below; the number is the calibrated chance in %. */
export function WinScoreBadge({ score, className = "" }: { score: number; className?: string }) {
  const tone = score >= 60 ? "bg-emerald-100 text-emerald-900" : score >= 30 ? "bg-amber-100 text-amber-900" : "bg-red-100 text-red-900";
  return (
    <span
      className={`tabular inline-flex items-center rounded-full px-1.5 py-0.5 text-[11px] leading-none font-semibold ${tone} ${className}`}
      title={`Win score: ${score}% chance to win, from this workspace's own history`}
      data-testid="win-score"
    >
      <span className="sr-only">Win score </span>
      {score}
    </span>
  );
}
