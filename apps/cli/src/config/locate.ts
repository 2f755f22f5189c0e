import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * A place in the config file, 1-based, as editors show it.
 *
 * @example
 * ```ts
 * const where: SourcePosition = { line: 12, column: 5 };
 * ```
 */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds the line of a config field from its path (a zod issue path): the key of the deepest part of the
 * path that exists in the file, so a missing field points at its parent's line.
 *
 * @example
 * ```ts
 * locateField(doc, lineCounter, ['bots', 'alpha', 'queues', 0]); // { line: 31, column: 9 }
 * ```
 */
export function locateField(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
