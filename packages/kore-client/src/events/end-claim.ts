import type { StorageLike } from '@kaa/core';

/**
 * @internal The idempotency guard for `END_OF_CONVERSATION` (docs/assumptions.md#who-sends-end-of-conversation): one key per bot + conversation in a storage
 * shared by the page's instances. `claim()` writes this instance's id and reads it back (the best a
 * `localStorage`-like store allows); `markSent()` makes the claim permanent; `release()` frees it after a
 * failed post so the end can be retried. A claim older than `staleMs` that was never marked sent is free again.
 */
export interface EndClaim {
  claim(): boolean;
  markSent(): void;
  release(): void;
  isSent(): boolean;
}

interface Entry {
  owner: string;
  at: number;
  sent: boolean;
}

/** @internal */
export function createEndClaim(
  storage: StorageLike,
  key: string,
  owner: string,
  now: () => number,
  staleMs = 60_000,
): EndClaim {
  const read = (): Entry | undefined => {
    try {
      const raw = storage.getItem(key);
      if (raw == null) return undefined;
      const value = JSON.parse(raw) as Partial<Entry>;
      if (typeof value?.owner !== 'string' || typeof value.at !== 'number' || typeof value.sent !== 'boolean')
        return undefined;
      return value as Entry;
    } catch {
      return undefined;
    }
  };
  const write = (entry: Entry) => {
    try {
      storage.setItem(key, JSON.stringify(entry));
    } catch {
      // a store that cannot write cannot share the guard; this instance still sends at most once (in memory)
    }
  };
  let mine: Entry | undefined;
  return {
    claim() {
      if (mine?.sent) return false;
      const current = read();
      if (current && current.owner !== owner && (current.sent || now() - current.at < staleMs)) return false;
      if (current?.sent) return false;
      mine = { owner, at: now(), sent: false };
      write(mine);
      const check = read();
      return check === undefined || check.owner === owner;
    },
    markSent() {
      mine = { owner, at: now(), sent: true };
      write(mine);
    },
    release() {
      mine = undefined;
      const current = read();
      if (current?.owner === owner && !current.sent) {
        try {
          storage.removeItem(key);
        } catch {
          // nothing to free
        }
      }
    },
    isSent() {
      return mine?.sent === true || read()?.sent === true;
    },
  };
}

/** @internal The storage key of the end-of-conversation guard, whichever lifecycle channel sends the end. */
export function endClaimKey(botId: string, conversationId: string): string {
  return `kaa:kore:eoc:${botId}:${conversationId}`;
}

/**
 * The end-of-conversation guard for lifecycle channel `postMessage` (docs/assumptions.md#who-sends-end-of-conversation):
 * the same per bot + conversation key in `storage` (shared by the page's instances) as the hooks client uses, so the
 * end is sent to one widget once. `claim()` is true for the one instance that should send it; call `markSent()` after.
 *
 * @example
 * ```ts
 * import { createWidgetEndClaim } from '@kaa/kore-client';
 *
 * const end = createWidgetEndClaim({ storage: localStorage, botId, conversationId, now: Date.now });
 * if (end.claim()) { view.endOfConversation({ conversationId, botId, chatHistory: [] }); end.markSent(); }
 * ```
 */
export function createWidgetEndClaim(options: {
  storage: StorageLike;
  botId: string;
  conversationId: string;
  now: () => number;
  instanceId?: string;
}): Pick<EndClaim, 'claim' | 'markSent' | 'isSent'> {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const owner =
    options.instanceId ??
    c?.randomUUID?.() ??
    `i-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  return createEndClaim(options.storage, endClaimKey(options.botId, options.conversationId), owner, options.now);
}
