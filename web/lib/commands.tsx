/*
 * App-wide commands (the search palette and quick create), provided by the signed-in layout so any page can
 * open them: e.g. an accounts list's "New account" button calls `openQuickCreate("account")`.
 */
import { createContext, use } from "react";

export type QuickCreateKind = "account" | "contact" | "lead" | "opportunity" | "task";

export interface QuickCreatePreset {
  /** Pre-selected account for a contact or opportunity: `{ id, name }`. */
  account?: { id: string; name: string };
  /** What a new task is about: `{ type, id, title }`. */
  related?: { type: "account" | "contact" | "lead" | "opportunity"; id: string; title: string };
}

export interface AppCommands {
  openSearch(): void;
  openQuickCreate(kind?: QuickCreateKind, preset?: QuickCreatePreset): void;
  /** False for a VIEWER: hide create buttons (the server refuses anyway). */
  canCreate: boolean;
}

export const AppCommandsContext = createContext<AppCommands | null>(null);

export function useAppCommands(): AppCommands {
  const value = use(AppCommandsContext);
  if (!value) throw new Error("useAppCommands must be used inside the signed-in layout");
  return value;
}

/** True when a key press belongs to a text field (or a dialog is open): single-key shortcuts must ignore it. */
export function isTypingContext(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (target?.closest?.("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='textbox']")) return true;
  return !!document.querySelector("dialog[open]");
}

/** "⌘K" on Apple keyboards, "Ctrl K" elsewhere. */
export function modKeyLabel(): string {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "⌘" : "Ctrl";
}
