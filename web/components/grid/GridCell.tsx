/*
 * One grid cell that edits in place: Enter, F2 or a double click opens the editor; Enter saves, Esc cancels, Tab
 * saves and opens the next editable cell of the row. The server's validation message shows in the cell (the editor
 * stays open); a deal's 409 is the grid's to handle (the board's conflict dialog), so `onSave` may resolve later.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { fromMinorUnits, toMinorUnits } from "../../lib/format";
import { useUsers } from "../../lib/useUsers";
import type { GridColumn, Row } from "./columns";

export type CellSave = (row: Row, column: GridColumn, value: unknown) => Promise<void>;

function currentValue(row: Row, column: GridColumn): unknown {
  return column.id.startsWith("custom.") ? row.custom?.[column.id.slice(7)] : row[column.id];
}

function toInput(column: GridColumn, value: unknown, currency: string): string {
  if (value === null || value === undefined) return "";
  if (column.type === "money" && typeof value === "number" && !column.id.startsWith("custom.")) return String(fromMinorUnits(value, currency));
  return String(value);
}

function fromInput(column: GridColumn, text: string, currency: string): unknown {
  const t = text.trim();
  if (t === "") return null;
  switch (column.type) {
    case "number":
    case "percent":
      return Number(t);
    case "money":
      return column.id.startsWith("custom.") ? Number(t) : toMinorUnits(Number(t), currency);
    default:
      return t;
  }
}

export function GridCell({ row, column, onSave }: { row: Row; column: GridColumn; onSave: CellSave }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const cellRef = useRef<HTMLDivElement>(null);
  const currency = (row.currency as string | undefined) ?? "USD";
  const value = currentValue(row, column);
  const [draft, setDraft] = useState("");
  const { users } = useUsers();

  const open = () => {
    if (!column.editable) return;
    if (column.type === "checkbox") return void save(!value);
    setDraft(toInput(column, value, currency));
    setError(null);
    setEditing(true);
  };
  async function save(next: unknown, then?: () => void) {
    if (JSON.stringify(next ?? null) === JSON.stringify(value ?? null)) {
      setEditing(false);
      then?.();
      return;
    }
    setPending(true);
    try {
      await onSave(row, column, next);
      setEditing(false);
      setError(null);
      then?.();
    } catch (err) {
      const field = column.id.startsWith("custom.") ? column.id.slice(7) : column.id;
      setError(err instanceof ApiError ? (Object.entries(err.fieldErrors).find(([k]) => k.endsWith(field))?.[1] ?? errorMessage(err)) : errorMessage(err));
    } finally {
      setPending(false);
    }
  }
  const nextCell = () => {
    const cells = [...(cellRef.current?.closest('[role="row"]')?.querySelectorAll<HTMLElement>("[data-editable]") ?? [])];
    const next = cells[cells.indexOf(cellRef.current!) + 1];
    next?.focus();
    next?.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  };
  const onEditorKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      setEditing(false);
      setError(null);
      cellRef.current?.focus();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      void save(fromInput(column, draft, currency), e.key === "Tab" ? nextCell : () => cellRef.current?.focus());
    }
  };
  useEffect(() => {
    if (!editing) setDraft("");
  }, [editing]);

  const shown = column.render(row);
  if (!editing) {
    return (
      <div
        ref={cellRef}
        data-cell={column.id}
        data-editable={column.editable ? "" : undefined}
        tabIndex={column.editable ? 0 : -1}
        title={column.editable ? "Double-click or press Enter to edit" : undefined}
        onDoubleClick={open}
        onKeyDown={(e) => {
          if (e.target === e.currentTarget && (e.key === "Enter" || e.key === "F2")) {
            e.preventDefault();
            open();
          }
        }}
        className={`flex h-full w-full items-center truncate px-3 text-slate-700 outline-offset-[-2px] ${column.editable ? "cursor-text" : ""} ${column.type === "money" || column.type === "number" ? "justify-end tabular" : ""}`}
      >
        {pending ? <span className="text-slate-500">Saving…</span> : shown}
      </div>
    );
  }
  const common = {
    autoFocus: true,
    "aria-label": column.label,
    "aria-invalid": !!error,
    disabled: pending,
    onKeyDown: onEditorKey,
    onBlur: () => {
      if (!pending && !error) setEditing(false);
    },
    className: `h-full w-full min-w-0 border-2 bg-white px-2 text-sm text-slate-900 outline-none ${error ? "border-red-600" : "border-accent"}`,
  };
  const options = column.type === "user" ? users.map((u) => ({ value: u.id, label: u.name })) : (column.field?.options ?? []);
  return (
    <div ref={cellRef} data-cell={column.id} className="relative h-full w-full">
      {column.type === "single_select" || column.type === "user" ? (
        <select {...common} value={draft} onChange={(e) => setDraft(e.target.value)}>
          <option value="">—</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input {...common} type={column.type === "date" ? "date" : column.type === "number" || column.type === "money" || column.type === "percent" ? "number" : "text"} step="any" value={draft} onChange={(e) => setDraft(e.target.value)} />
      )}
      {error && (
        <p role="alert" title={error} className="absolute top-1/2 right-1 max-w-[70%] -translate-y-1/2 truncate rounded bg-red-700 px-1.5 py-0.5 text-xs text-white">
          {error}
        </p>
      )}
    </div>
  );
}
