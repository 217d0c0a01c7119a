/*
 * Names for ids shown in lists: account names (list rows carry `accountName`; other views may only have the id) and
 * pipeline stages.
 * Cached for the session so paging back and forth costs nothing.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { invalidatePipelines } from "./pipelines";
import { queries, type StageInfo } from "./queries";
import { getRecord } from "./records";

const accountNames = new Map<string, string>();
const pending = new Map<string, Promise<void>>();

/** Remembers names seen elsewhere (an accounts list page, a detail page) so lists need not ask again. */
export function rememberAccountName(id: string, name: string): void {
  accountNames.set(id, name);
}

const MAX_PARALLEL = 6;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than MAX_PARALLEL lookups are in flight (a page of 50 rows must not open 50 requests). */
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function fetchName(id: string): Promise<void> {
  let p = pending.get(id);
  if (!p) {
    p = limited(() => getRecord("accounts", id))
      .then(
        (a) => void accountNames.set(id, a.name),
        () => void accountNames.set(id, "Unknown account"),
      )
      .finally(() => pending.delete(id));
    pending.set(id, p);
  }
  return p;
}

/**
 * Account names for the given ids. The list API returns ids only, so unknown ones are fetched in parallel
 * (at most six at a time) once per session.
 */
export function useAccountNames(ids: readonly (string | null | undefined)[]): Map<string, string> {
  const wanted = useMemo(() => [...new Set(ids.filter((id): id is string => !!id))].sort(), [ids]);
  const key = wanted.join(",");
  const [, setVersion] = useState(0);
  useEffect(() => {
    const missing = wanted.filter((id) => !accountNames.has(id));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map(fetchName)).then(() => live && setVersion((v) => v + 1));
    return () => {
      live = false;
    };
    // `key` stands for `wanted`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return accountNames;
}

export type { StageInfo } from "./queries";

/** Refetch stages and pipelines (after an admin edits them). */
export function invalidateStages(): void {
  invalidatePipelines();
}

/** The stages, or undefined while they load; an empty list when they cannot be loaded. */
export function useStages(): StageInfo[] | undefined {
  const { data, isError } = useQuery(queries.stages());
  return data ?? (isError ? EMPTY : undefined);
}
const EMPTY: StageInfo[] = [];
