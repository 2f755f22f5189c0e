/**
 * Node only (benchmark): how many round trips stand between navigation start and the widget `src`.
 * @packageDocumentation
 */

/** A request interval on one clock (ms). */
export interface Span {
  start: number;
  end: number;
}

/** What {@link criticalPath} found. */
export interface CriticalPath {
  /** Requests answered before `until`. */
  completed: number;
  /** Requests received before `until` but answered after it (not waited for). */
  inFlight: number;
  /** The longest chain of completed requests that each start after the previous one ended: round trips in sequence. */
  depth: number;
  /** The most completed requests in flight at the same moment (overlap). */
  maxParallel: number;
}

/**
 * Sequential depth and overlap of the requests that completed before `until` (the widget `src` set).
 * Depth 1 means every request on the critical path ran in parallel — one round trip.
 *
 * @example
 * ```ts
 * criticalPath([{ start: 0, end: 100 }, { start: 2, end: 101 }], 150); // { completed: 2, inFlight: 0, depth: 1, maxParallel: 2 }
 * criticalPath([{ start: 0, end: 100 }, { start: 101, end: 200 }], 250).depth; // 2
 * ```
 */
export function criticalPath(spans: readonly Span[], until: number): CriticalPath {
  const done = spans.filter((s) => s.end <= until).sort((a, b) => a.end - b.end);
  const inFlight = spans.filter((s) => s.start <= until && s.end > until).length;
  // longest chain of non-overlapping intervals (sorted by end): depth[i] = 1 + max depth[j] with end_j <= start_i
  const depthAt: number[] = [];
  for (let i = 0; i < done.length; i++) {
    let best = 0;
    for (let j = 0; j < i; j++) {
      if ((done[j] as Span).end <= (done[i] as Span).start) best = Math.max(best, depthAt[j] ?? 0);
    }
    depthAt.push(best + 1);
  }
  let maxParallel = 0;
  for (const s of done)
    maxParallel = Math.max(maxParallel, done.filter((o) => o.start <= s.start && o.end > s.start).length);
  return { completed: done.length, inFlight, depth: Math.max(0, ...depthAt), maxParallel };
}
