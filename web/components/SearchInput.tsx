import { useId, type InputHTMLAttributes, type Ref } from "react";
import { CloseIcon, SearchIcon } from "./icons";

export interface SearchInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "type"> {
  /** Accessible label (visually hidden: the icon and placeholder carry it on screen). */
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  ref?: Ref<HTMLInputElement>;
}

/** A search box with a clear button; Escape clears it too. */
export function SearchInput({ label, value, onValueChange, className = "", ref, onKeyDown, ...rest }: SearchInputProps) {
  const id = useId();
  return (
    <div className={`relative ${className}`}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400" />
      <input
        ref={ref}
        id={id}
        type="search"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && value) {
            e.preventDefault();
            onValueChange("");
          }
          onKeyDown?.(e);
        }}
        className="block h-9 w-full rounded-md border border-slate-300 bg-white pr-8 pl-8 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden [&::-webkit-search-cancel-button]:appearance-none"
        {...rest}
      />
      {value && (
        <button
          type="button"
          onClick={() => onValueChange("")}
          className="absolute top-1/2 right-1.5 inline-flex size-6 -translate-y-1/2 items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-600"
        >
          <span className="sr-only">Clear search</span>
          <CloseIcon className="size-3.5" />
        </button>
      )}
    </div>
  );
}
