import { monogram } from "../../worker/lib/brand-colour";

/** The deployment's logo, or a monogram of its product name on the accent colour. Decorative: pair it with text. */
export function BrandMark({
  productName,
  logoUrl,
  className = "size-7",
}: {
  productName: string;
  logoUrl: string | null;
  className?: string;
}) {
  if (logoUrl) {
    return <img src={logoUrl} alt="" className={`${className} shrink-0 rounded-md object-contain`} />;
  }
  const initials = monogram(productName);
  return (
    <span
      aria-hidden="true"
      className={`${className} inline-flex shrink-0 items-center justify-center rounded-md bg-accent text-[0.8125rem] font-semibold tracking-tight text-accent-foreground`}
    >
      {initials}
    </span>
  );
}
