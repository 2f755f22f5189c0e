/**
 * The sandbox agent desktop server: serves the desktop page, its script and stylesheet, and
 * `GET /desktop/config.json`, on its own 127.0.0.1 origin (this origin is the `gcHostOrigin`).
 */
import { z } from 'zod';
import { issuePath, KaaError } from '@kaa/core';
import { USERS } from '../seed.js';
import { writeAnswer } from '../http/answer.js';
import type { HttpAnswer } from '../http/answer.js';
import { listen } from '../http/listen.js';
import { defaultWidgetUrlTemplate } from './default-template.js';
import { browserScript } from '../browser-scripts.js';
import { desktopCss, desktopCsp, desktopHtml } from './desktop-page.js';
import { substituteWidgetUrl, widgetUrlVars } from './widget-url.js';

const origin = z
  .string()
  .regex(/^https?:\/\/[^/]+$/, 'an origin such as http://127.0.0.1:4101 (no path, no trailing slash)');

/**
 * An Interaction Widget URL template the desktop can frame, such as an admin's own
 * `https://kaa.example.com/koreaiaa-genesys/?conversationid={{gcConversationId}}&environment={{gcHostOrigin}}&…`:
 * with its placeholders filled in it is an absolute URL, https, or http on 127.0.0.1 / localhost (what the desktop's
 * CSP `frame-src` allows). Issues name the scheme and host only, never the query (it may carry an `x_metadata` token).
 *
 * @example
 * ```ts
 * widgetUrlTemplateSchema.safeParse('https://kaa.example.com/koreaiaa-genesys/?conversationid={{gcConversationId}}').success; // true
 * widgetUrlTemplateSchema.safeParse('http://kaa.example.com/?conversationid={{gcConversationId}}').success; // false (http off 127.0.0.1)
 * ```
 */
export const widgetUrlTemplateSchema = z
  .string()
  .trim()
  .min(1, 'an Interaction Widget URL (empty)')
  .superRefine((template, ctx) => {
    const sample = substituteWidgetUrl(
      template,
      widgetUrlVars({
        conversationId: 'c',
        langTag: 'en-us',
        hostOrigin: 'http://127.0.0.1:1',
        targetEnv: 'sandbox',
        usePopupAuth: false,
        environmentDomain: '127.0.0.1',
      }),
    );
    let url: URL;
    try {
      url = new URL(sample);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message:
          'an absolute URL such as https://kaa.example.com/koreaiaa-genesys/?conversationid={{gcConversationId}}&… (quote it in the shell)',
      });
      return;
    }
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return;
    ctx.addIssue({
      code: 'custom',
      message: `${url.protocol}//${url.host} cannot be framed by the sandbox desktop: use https, or http on 127.0.0.1 or localhost`,
    });
  });

const utterance = z.object({ channel: z.enum(['EXTERNAL', 'INTERNAL']), text: z.string().min(1) });

/** The default "Play transcript" script: the customer (EXTERNAL) and the agent (INTERNAL) in turn. */
export const DEFAULT_TRANSCRIPT_SCRIPT: readonly z.infer<typeof utterance>[] = [
  { channel: 'EXTERNAL', text: 'Hi, I would like to check the status of my order.' },
  { channel: 'INTERNAL', text: 'Sure, can you give me the order number?' },
  { channel: 'EXTERNAL', text: 'It is 4 5 1 2.' },
  { channel: 'INTERNAL', text: 'Thanks, it ships tomorrow.' },
];

/**
 * The desktop's default `gcTargetEnv`: an environment name Genesys's Client App SDK (`purecloud-client-app-sdk`)
 * knows. With a loopback `gcHostOrigin` the SDK then talks to that origin, this desktop; `sandbox` made it throw.
 * The sandbox environment record lists it as an alias, so kaa's page accepts it too.
 */
export const DESKTOP_TARGET_ENV = 'prod';
/**
 * The desktop's default `pcEnvironment` (the legacy placeholder): a domain the Client App SDK accepts
 * (`127.0.0.1` made it throw). An SDK configured from it talks to `https://apps.mypurecloud.com`, never to this
 * desktop: apps should use `gcHostOrigin` and `gcTargetEnv`.
 */
export const DESKTOP_PC_ENVIRONMENT = 'mypurecloud.com';

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535).default(0),
  apiOrigin: origin,
  loginOrigin: origin,
  koreOrigin: origin.optional(),
  pageOrigin: origin.optional(),
  widgetUrlTemplate: widgetUrlTemplateSchema.optional(),
  lang: z.string().min(2).default('en-us'),
  targetEnv: z.string().min(1).default(DESKTOP_TARGET_ENV),
  usePopupAuth: z.boolean().default(false),
  environmentDomain: z.string().min(1).default(DESKTOP_PC_ENVIRONMENT),
  agentUserId: z.string().optional(),
  transferToUserId: z.string().default(USERS.agent2.id),
  pollMs: z.number().int().min(100).max(60_000).default(1000),
  transcriptScript: z
    .array(utterance)
    .min(1)
    .default([...DEFAULT_TRANSCRIPT_SCRIPT]),
  lifecycle: z
    .object({
      bootstrap: z.boolean().default(false),
      focus: z.boolean().default(false),
      blur: z.boolean().default(false),
      stop: z.boolean().default(false),
      bootstrapTimeoutMs: z.number().int().min(0).max(120_000).default(10_000),
      stopTimeoutMs: z.number().int().min(0).max(120_000).default(10_000),
    })
    .default({
      bootstrap: false,
      focus: false,
      blur: false,
      stop: false,
      bootstrapTimeoutMs: 10_000,
      stopTimeoutMs: 10_000,
    }),
});

/** Options of {@link startDesktop}. */
export interface DesktopOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Genesys API origin (control API `/sandbox/v1/**`). */
  apiOrigin: string;
  /** Genesys login origin (shown in the config; the desktop itself does not log in). */
  loginOrigin: string;
  /** Kore platform origin (informational). */
  koreOrigin?: string;
  /** Origin serving the kaa page; used to build the default widget URL when `widgetUrlTemplate` is absent. */
  pageOrigin?: string;
  /**
   * The Interaction Widget `url` with `{{gcConversationId}}`, `{{gcLangTag}}`, `{{gcHostOrigin}}`, `{{gcTargetEnv}}`,
   * `{{gcUsePopupAuth}}` (and legacy `pc*`) placeholders. Default: the kaa page on `pageOrigin` in Kore Data
   * Table mode, with an `x_metadata` token for the read-only Data app.
   */
  widgetUrlTemplate?: string;
  /** `gcLangTag`; default `en-us`. */
  lang?: string;
  /** `gcTargetEnv`, the environment name; default {@link DESKTOP_TARGET_ENV} (`prod`, an alias of the sandbox environment record). */
  targetEnv?: string;
  /** `gcUsePopupAuth`; default false. */
  usePopupAuth?: boolean;
  /** `pcEnvironment`; default {@link DESKTOP_PC_ENVIRONMENT}. */
  environmentDomain?: string;
  /** The agent shown as signed in; default: the API's signed-in user. */
  agentUserId?: string;
  /** Target of the transfer buttons; default Ben Agent. */
  transferToUserId?: string;
  /** How often the desktop polls `/sandbox/v1/state`; default 1000 ms. */
  pollMs?: number;
  /** What "Play transcript" sends. */
  transcriptScript?: { channel: 'EXTERNAL' | 'INTERNAL'; text: string }[];
  /**
   * The Interaction Widget's `advanced.lifecycle.hooks` (docs/genesys-protocol.md#integration-configuration), as the Genesys Client App SDK protocol:
   * with `bootstrap` the frame stays hidden until the app answers `bootstrapped` (or `bootstrapTimeoutMs`, default
   * 10 s); `focus`/`blur` go to the frame shown/hidden when the agent switches interactions (not on first show);
   * `stop` is sent by the "Close widget" button, which removes the frame on `stopped` (or `stopTimeoutMs`). Off by
   * default. What the desktop sent and received is in `window.__kaaDesktop.lifecycle()`.
   */
  lifecycle?: {
    bootstrap?: boolean;
    focus?: boolean;
    blur?: boolean;
    stop?: boolean;
    bootstrapTimeoutMs?: number;
    stopTimeoutMs?: number;
  };
  /** Clock in ms for the x_metadata token (default `Date.now`). */
  now?: () => number;
}

/** A running desktop. */
export interface Desktop {
  /** `http://127.0.0.1:<port>`: the `gcHostOrigin`. */
  origin: string;
  /** The page to open. */
  url: string;
  port: number;
  /** The template the iframes use (undefined when neither it nor `pageOrigin` was given). */
  widgetUrlTemplate?: string;
  /** Stops the server; no port or socket is left behind. */
  close(): Promise<void>;
}

/**
 * Starts the sandbox agent desktop.
 *
 * @example
 * ```ts
 * const desktop = await startDesktop({ apiOrigin: sandbox.origins.api, loginOrigin: sandbox.origins.login,
 *   widgetUrlTemplate: 'http://127.0.0.1:5173/koreaiaa-genesys/?conversationid={{gcConversationId}}&environment={{gcHostOrigin}}' });
 * console.log(desktop.url);
 * await desktop.close();
 * ```
 */
export async function startDesktop(options: DesktopOptions): Promise<Desktop> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KaaError(
      'E_CONFIG_INVALID',
      `Sandbox desktop option "${issuePath(issue?.path ?? [], { root: '?' })}" is invalid: ${issue?.message ?? ''}. Fix the option passed to startDesktop.`,
      {
        details: { path: issue?.path.map(String) ?? [] },
      },
    );
  }
  const opts = parsed.data;
  const widgetUrlTemplate =
    opts.widgetUrlTemplate ??
    (opts.pageOrigin
      ? await defaultWidgetUrlTemplate(opts.pageOrigin, { nowMs: (options.now ?? Date.now)() })
      : undefined);
  let config: Record<string, unknown> = {};
  const script = await browserScript('desktop');
  const csp = desktopCsp(opts.apiOrigin);

  const listening = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const answer = ((): HttpAnswer => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, text: 'method not allowed' };
      if (path === '/' || path === '/desktop/' || path === '/desktop/index.html')
        return {
          status: 200,
          text: desktopHtml(),
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': csp },
        };
      if (path === '/desktop/app.js')
        return { status: 200, text: script, contentType: 'text/javascript; charset=utf-8' };
      if (path === '/desktop/app.css')
        return { status: 200, text: desktopCss(), contentType: 'text/css; charset=utf-8' };
      if (path === '/desktop/config.json') return { status: 200, json: config };
      if (path === '/favicon.ico') return { status: 204 };
      return { status: 404, text: 'not found' };
    })();
    writeAnswer(res, answer);
  }, opts.port);
  config = {
    apiOrigin: opts.apiOrigin,
    loginOrigin: opts.loginOrigin,
    ...(opts.koreOrigin ? { koreOrigin: opts.koreOrigin } : {}),
    ...(opts.pageOrigin ? { pageOrigin: opts.pageOrigin } : {}),
    hostOrigin: listening.origin,
    ...(widgetUrlTemplate ? { widgetUrlTemplate } : {}),
    lang: opts.lang,
    targetEnv: opts.targetEnv,
    usePopupAuth: opts.usePopupAuth,
    environmentDomain: opts.environmentDomain,
    ...(opts.agentUserId ? { agentUserId: opts.agentUserId } : {}),
    transferToUserId: opts.transferToUserId,
    pollMs: opts.pollMs,
    transcriptScript: opts.transcriptScript,
    lifecycle: opts.lifecycle,
  };
  return {
    origin: listening.origin,
    url: `${listening.origin}/`,
    port: listening.port,
    ...(widgetUrlTemplate ? { widgetUrlTemplate } : {}),
    close: () => listening.close(),
  };
}
