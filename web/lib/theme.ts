/*
 * Light or dark: the user's choice (kept in localStorage), else the system's (prefers-color-scheme, followed live).
 * Applied as the `dark` class on <html>; styles.css maps the palette (see "Dark mode" there).
 */
import { useSyncExternalStore } from "react";

export type ThemeChoice = "system" | "light" | "dark";
const KEY = "bespoke.theme";
const system = window.matchMedia("(prefers-color-scheme: dark)");
const listeners = new Set<() => void>();

export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === "light" || v === "dark" ? v : "system";
}

function apply() {
  const choice = themeChoice();
  const dark = choice === "dark" || (choice === "system" && system.matches);
  document.documentElement.classList.toggle("dark", dark);
  for (const l of listeners) l();
}

export function setThemeChoice(choice: ThemeChoice): void {
  if (choice === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  apply();
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore((cb) => (listeners.add(cb), () => listeners.delete(cb)), themeChoice);
}

system.addEventListener("change", apply);
window.addEventListener("storage", (e) => e.key === KEY && apply());
apply();
