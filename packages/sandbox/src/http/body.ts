import type { IncomingMessage } from 'node:http';

/**
 * Largest request body the sandbox reads (1 MiB); larger bodies are refused.
 *
 * @example
 * ```ts
 * if (size > MAX_BODY_BYTES) throw new BodyError(413, 'too large');
 * ```
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body could not be read or parsed; `status` is the HTTP status to answer.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof BodyError) res.writeHead(e.status).end(); }
 * ```
 */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body as UTF-8 text, refusing bodies over {@link MAX_BODY_BYTES}.
 *
 * @example
 * ```ts
 * const text = await readText(req);
 * ```
 */
export async function readText(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw new BodyError(413, `Request body is larger than ${limit} bytes.`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a JSON body; an empty body is `undefined`, malformed JSON is a {@link BodyError} 400, a body over
 * `limit` bytes (default {@link MAX_BODY_BYTES}) a {@link BodyError} 413.
 *
 * @example
 * ```ts
 * const parsed = schema.safeParse(await readJson(req));
 * ```
 */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readText(req, limit);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'Request body is not valid JSON.');
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body into a plain record (last value wins).
 *
 * @example
 * ```ts
 * const form = await readForm(req); // { grant_type: 'authorization_code', code: '…' }
 * ```
 */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const params = new URLSearchParams(await readText(req));
  return Object.fromEntries(params.entries());
}
