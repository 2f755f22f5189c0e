import type { StorageLike } from '@kaa/core';

/**
 * Storage access that never throws: a sandboxed frame without `allow-same-origin`, a full quota or a blocked
 * `sessionStorage` reads as empty and drops writes. Callers for whom a failed write matters (the login record)
 * call `setItem` themselves.
 */

/** The stored text, or null when there is none or storage cannot be read. */
export function safeGet(storage: StorageLike | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes, or does nothing when storage refuses. */
export function safeSet(storage: StorageLike | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // remembering is an optimisation; a full or blocked storage only costs the work it would have saved
  }
}

/** Removes, or does nothing when storage refuses. */
export function safeRemove(storage: StorageLike | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // an unwritable storage holds nothing to forget
  }
}

/** Parsed JSON, or undefined for text that is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
