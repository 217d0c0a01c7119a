import { useEffect, useId, useRef, useState, type RefObject } from "react";

/**
 * While `open`: Escape closes (and gives focus back to `buttonRef`), a press outside `rootRef` closes. For menus and
 * popovers whose open state lives elsewhere (the shell's phone menu, a controlled disclosure).
 */
export function useDismiss(open: boolean, close: () => void, rootRef: RefObject<HTMLElement | null>, buttonRef: RefObject<HTMLElement | null>) {
  const closeRef = useRef(close);
  closeRef.current = close;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        closeRef.current();
        buttonRef.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) closeRef.current();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open, rootRef, buttonRef]);
}

/** A header popover with its own open state (useDismiss); `onOpen` runs each time it opens (e.g. refresh its data). */
export function usePopover(onOpen?: () => void) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  useEffect(() => {
    if (open) onOpenRef.current?.();
  }, [open]);
  useDismiss(open, () => setOpen(false), rootRef, buttonRef);
  return { open, setOpen, panelId, rootRef, buttonRef };
}
