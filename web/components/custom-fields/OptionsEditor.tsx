import { ChevronDownIcon, ChevronUpIcon, CloseIcon } from "../icons";
import { Button } from "../ui/Button";

export interface OptionDraft {
  value: string;
  label: string;
  color: string;
  /** Added in this dialog: its value follows the label until saved (stored values never change afterwards). */
  isNew: boolean;
}

const slug = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 100);

/** The ordered options of a select field: label, colour, order (up/down), remove, add. */
export function OptionsEditor({ options, onChange, palette, error }: { options: OptionDraft[]; onChange: (next: OptionDraft[]) => void; palette: string[]; error?: string }) {
  const set = (i: number, patch: Partial<OptionDraft>) => onChange(options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const move = (i: number, by: number) => {
    const next = [...options];
    const [o] = next.splice(i, 1);
    next.splice(i + by, 0, o!);
    onChange(next);
  };
  return (
    <fieldset aria-describedby={error ? "options-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Options</legend>
      {error && (
        <p id="options-error" className="mt-1 text-sm text-red-600">
          {error}
        </p>
      )}
      <ol className="mt-2 space-y-2">
        {options.map((o, i) => (
          <li key={i} className="flex items-center gap-2">
            <input
              type="color"
              aria-label={`Colour of option ${i + 1}`}
              value={o.color}
              onChange={(e) => set(i, { color: e.target.value })}
              className="h-9 w-10 shrink-0 cursor-pointer rounded-md border border-slate-300 bg-white p-1"
            />
            <input
              aria-label={`Option ${i + 1}`}
              value={o.label}
              onChange={(e) => set(i, o.isNew ? { label: e.target.value, value: slug(e.target.value) } : { label: e.target.value })}
              className="h-9 min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden"
            />
            <code className="hidden w-28 truncate text-xs text-slate-500 sm:block" title="Stored value">
              {o.value || "—"}
            </code>
            <Button size="sm" variant="ghost" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move option ${i + 1} up`}>
              <ChevronUpIcon className="size-4" />
            </Button>
            <Button size="sm" variant="ghost" disabled={i === options.length - 1} onClick={() => move(i, 1)} aria-label={`Move option ${i + 1} down`}>
              <ChevronDownIcon className="size-4" />
            </Button>
            <Button size="sm" variant="ghost" onClick={() => onChange(options.filter((_, j) => j !== i))} aria-label={`Remove option ${i + 1}`}>
              <CloseIcon className="size-4" />
            </Button>
          </li>
        ))}
      </ol>
      <Button size="sm" className="mt-2" onClick={() => onChange([...options, { value: "", label: "", color: palette[options.length % palette.length]!, isNew: true }])}>
        Add option
      </Button>
    </fieldset>
  );
}
