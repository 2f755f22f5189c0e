import type { BotLookup, BotSource } from '@kaa/core';

/**
 * A {@link BotSource} whose `load()` is reused for `ttlMs` (setting `routing.cacheTtlSeconds`): one read of the bot
 * table per instance per TTL, shared by concurrent requests; a failed read is not kept. `ttlMs` 0 reads every time.
 *
 * @example
 * ```ts
 * const bots = cacheBotSource(createKoreTableBotSource({ client, table: 'kaa_bots' }), { ttlMs: 300_000, now: Date.now });
 * const lookup = await bots.load();
 * ```
 */
export function cacheBotSource(
  source: BotSource,
  options: { ttlMs: number; now: () => number },
): BotSource & { readonly warm: boolean } {
  let current: { lookup: Promise<BotLookup>; until: number } | undefined;
  return {
    kind: source.kind,
    get warm() {
      return current !== undefined && current.until > options.now();
    },
    load() {
      const t = options.now();
      if (current && current.until > t) return current.lookup;
      const lookup = source.load();
      const entry = { lookup, until: t + options.ttlMs };
      current = entry;
      lookup.catch(() => {
        if (current === entry) current = undefined;
      });
      return lookup;
    },
  };
}
