// Over 300 lines on purpose: kaa doctor's steps run in the page's order in one function, so that it reads step for step like the page it checks.
import {
  allowsHttpLoopback,
  botLookupFromRows,
  brokerUrlOf,
  botLookupOptions,
  describeWidgetUrl,
  encryptSecureCustomData,
  findAgentParticipant,
  hasPermission,
  importJwePublicKey,
  isKaaError,
  KaaError,
  mediaOf,
  mintWidgetLaunch,
  parseBotRow,
  parseConversation,
  queueIdentifierOf,
  queueOf,
  toKaaError,
  TRANSCRIPTION_VIEW_PERMISSION,
  transcriptionOff,
  transcriptionRefused,
  type BotLookup,
  type BotRecord,
  type GenesysConversation,
  type GenesysEnvironment,
  type GenesysParticipant,
  type QueueRef,
  type WidgetLaunch,
  type WidgetLaunchRecord,
} from '@kaa/core';
import { createClientCredentialsAuth, createGenesysApi, type GenesysApi } from '@kaa/genesys-adapter';
import { pageKoreApiHost } from '@kaa/kore-client';
import type { LoadedConfig } from '../config/loaded-config.js';
import { configBotSource, thirdPartyLookupUrl } from '../bot-source/config-bot-source.js';
import { genesysEnvironment, koreApiBase, requireDataTable, tableClient } from '../connections.js';
import type { CliIo } from '../io.js';
import { openAdminSession } from '../genesys-admin/admin-session.js';
import { BROKER_DOCTOR_STEPS, DOCTOR_STEPS, type DoctorStepName, type DoctorStepResult } from './doctor-step.js';
import { brokerToCheck, checkBrokerCors, checkBrokerHealth, checkBrokerLaunch } from './check-broker.js';
import { checkWidgetToken } from './check-widget-token.js';
import { readDeployedPage, type DeployedPage } from './deployed-page.js';

/**
 * Input of {@link runDoctor}.
 *
 * @example
 * ```ts
 * const input: DoctorInput = { conversationId: 'c0a0…', userId: 'a9e0…', widgetTimeoutMs: 5000 };
 * ```
 */
export interface DoctorInput {
  readonly conversationId: string;
  /** The agent's Genesys user id. Required with client credentials (no users/me); with `agentToken`, default users/me. */
  readonly userId?: string;
  /**
   * A Genesys access token of the agent (e.g. from the agent's browser session or the sandbox): used instead of
   * client credentials, and `users/me` names the agent. Secret.
   */
  readonly agentToken?: string;
  /** How long the widget URL may take to answer. */
  readonly widgetTimeoutMs: number;
  /** Called as each step ends (progress for people). */
  readonly onStep?: (result: DoctorStepResult) => void;
  readonly onStart?: (step: DoctorStepName) => void;
}

/**
 * Runs the page's resolution steps for one conversation against the configured environment with the
 * config's Client Credentials client: page (the deployed page's settings, read as the page reads them), environment
 * (resolved with those settings), token, — in broker mode (the config or the deployed page names a token broker) —
 * broker health (`/healthz`, `/readyz`), broker CORS (the page origin's preflight allowed, a foreign one not) and
 * broker launch (`POST /v1/launch` with the agent's token, `KAA_GENESYS_TOKEN`; skipped without one) —, then
 * conversation, agent participant, queue, identifier, table (read with the
 * x_metadata token at the Kore API host the deployed page uses: kore-client's `pageKoreApiHost`, the page's own
 * call), row, widget token, JWE, widget URL. From the conversation on it takes the page's own path with the deployed
 * page's settings: the bot lookup with core's `botLookupOptions` (every routing setting, `noQueuePolicy` included: an
 * interaction without a queue is decided in step "row", as on the page), and core's `mintWidgetLaunch` for the widget
 * JWT, custom data, secure custom data and widget URL. So doctor cannot pass where the page fails for its settings,
 * and `test/doctor-agrees-with-page.test.ts` holds the two to the same answers.
 * Stops at the first failing step; the later ones are `skip`. Never throws for a failing step.
 *
 * @example
 * ```ts
 * const steps = await runDoctor(loaded, io, { conversationId, userId, widgetTimeoutMs: 5000 });
 * steps.find((s) => s.status === 'fail')?.step; // 'row'
 * ```
 */
export async function runDoctor(loaded: LoadedConfig, io: CliIo, input: DoctorInput): Promise<DoctorStepResult[]> {
  const { config, settings } = loaded;
  const results: DoctorStepResult[] = [];
  let failed = false;
  const step = async <T>(
    name: DoctorStepName,
    run: () => Promise<{ value: T; detail: string; skipped?: true }>,
  ): Promise<T | undefined> => {
    if (failed) {
      results.push({ step: name, status: 'skip', ms: 0, detail: 'skipped (an earlier step failed)' });
      return undefined;
    }
    input.onStart?.(name);
    const started = io.now();
    try {
      const { value, detail, skipped } = await run();
      const result: DoctorStepResult = { step: name, status: skipped ? 'skip' : 'ok', ms: io.now() - started, detail };
      results.push(result);
      input.onStep?.(result);
      return value;
    } catch (e) {
      failed = true;
      const error = toKaaError(
        e,
        'E_INTERNAL',
        `kaa doctor failed unexpectedly in step "${name}". Report this as a bug in kaa.`,
        { secrets: loaded.secrets },
      );
      const result: DoctorStepResult = {
        step: name,
        status: 'fail',
        ms: io.now() - started,
        detail: error.code,
        error: { code: error.code, message: error.message, details: error.details },
      };
      results.push(result);
      input.onStep?.(result);
      return undefined;
    }
  };

  const page = await step<DeployedPage & { koreApiHost?: string }>('page', async () => {
    const deployed = await readDeployedPage(loaded, io, input.widgetTimeoutMs);
    const from = deployed.embedded
      ? 'settings embedded in index.html'
      : 'no embedded settings: kaa.config.json next to it (or defaults)';
    if (config.botSource.kind !== 'kore-data-table') return { value: deployed, detail: `${deployed.url}: ${from}` };
    const koreApiHost = pageKoreApiHost(deployed.settings); // the page's own call: fails where the page fails
    const configured = koreApiBase(loaded);
    if (koreApiHost !== configured) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The deployed page ${deployed.url} reads the Kore Data Table at ${koreApiHost} (setting kore.apiHost, ${from}), but ${loaded.file} says ${configured}. Run "kaa page --dist <the built page>" and deploy it again.`,
        {
          details: { url: deployed.url, pageKoreApiHost: koreApiHost, configKoreApiHost: configured },
        },
      );
    }
    return { value: { ...deployed, koreApiHost }, detail: `${deployed.url}: ${from}; Kore API host ${koreApiHost}` };
  });
  const env = await step<GenesysEnvironment>('environment', async () => {
    // resolved with the deployed page's settings (its extra environments), as the page resolves it
    const e = genesysEnvironment(loaded, (page as DeployedPage).settings);
    return {
      value: e,
      detail: `${e.name} (api ${e.apiBase}, login ${e.loginBase}); http widget URLs on loopback ${allowsHttpLoopback(e) ? 'accepted (a loopback environment)' : 'refused'}`,
    };
  });
  let userId = input.userId ?? '';
  const api = await step<GenesysApi>('token', async () => {
    const fetchFn = (u: string, i?: RequestInit) => io.fetch(u, i);
    if (input.agentToken !== undefined && env !== undefined) {
      const token = input.agentToken;
      (loaded.secrets as string[]).push(token);
      const a = createGenesysApi({ environment: env, auth: { getToken: () => token }, fetch: fetchFn, maxAttempts: 2 });
      const me = await a.getMe();
      if (userId === '') userId = me.id;
      return { value: a, detail: `agent token of user ${me.id}${me.name ? ` (${me.name})` : ''}` };
    }
    const cc = config.genesys.clientCredentials;
    if (cc === undefined || env === undefined)
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${loaded.where(['genesys'])}: "genesys.clientCredentials" is missing. Add a Client Credentials OAuth client { clientId, clientSecret } so kaa doctor can read the conversation.`,
      );
    const clientSecret = await loaded.secret(cc.clientSecret, ['genesys', 'clientCredentials', 'clientSecret']);
    const auth = createClientCredentialsAuth({
      clientId: cc.clientId,
      clientSecret,
      environment: env,
      fetch: fetchFn,
      now: () => io.now(),
    });
    (loaded.secrets as string[]).push(await auth.getToken());
    const expires = auth.expiresAt();
    return {
      value: createGenesysApi({ environment: env, auth, fetch: fetchFn, maxAttempts: 2 }),
      detail: `client credentials token for OAuth client ${cc.clientId}${expires ? `, valid ${Math.round((expires - io.now()) / 60_000)} min` : ''}`,
    };
  });
  // broker mode (docs/architecture.md#broker-mode): the page asks the token broker for the launch; check it as the
  // agents' browsers will reach it — its health, CORS for the page's origin, and a launch with an agent's token
  const brokerNamed =
    brokerUrlOf(settings.tokens) !== undefined ||
    config.broker !== undefined ||
    (page !== undefined && brokerUrlOf(page.settings.tokens) !== undefined);
  const pageOrigin = new URL(page?.url ?? config.page.url).origin;
  const checkFetch = (u: string, i: RequestInit) => io.fetch(u, i);
  if (brokerNamed) {
    const broker = await step<string>('broker health', async () => {
      const url = brokerToCheck({
        page: page?.settings ?? settings,
        config: settings,
        brokerSection: config.broker !== undefined,
        file: loaded.file,
        pageUrl: page?.url ?? config.page.url,
      });
      if (url === undefined)
        throw new KaaError(
          'E_INTERNAL',
          'kaa doctor found no token broker to check although the config names one. Report this as a bug in kaa.',
        );
      return {
        value: url,
        detail: await checkBrokerHealth({ broker: url, fetch: checkFetch, timeoutMs: input.widgetTimeoutMs }),
      };
    });
    await step<undefined>('broker CORS', async () => ({
      value: undefined,
      detail: await checkBrokerCors({
        broker: broker as string,
        pageOrigin,
        fetch: checkFetch,
        timeoutMs: input.widgetTimeoutMs,
      }),
    }));
    await step<undefined>('broker launch', async () => {
      if (input.agentToken === undefined) {
        return {
          value: undefined,
          skipped: true,
          detail:
            "not checked: the broker launches for a signed-in agent only (it verifies the token with users/me); export KAA_GENESYS_TOKEN with the agent's access token to check it",
        };
      }
      const detail = await checkBrokerLaunch({
        broker: broker as string,
        environment: (env as GenesysEnvironment).name,
        conversationId: input.conversationId,
        agentToken: input.agentToken,
        pageOrigin,
        allow: (page?.settings ?? settings).allow,
        fetch: checkFetch,
        now: () => io.now(),
        timeoutMs: input.widgetTimeoutMs,
        secrets: loaded.secrets as string[],
      });
      return { value: undefined, detail };
    });
  }
  // from here on, the page's own path: its settings (routing, kore.jwt, jwe, passthru), its lookup options (core's
  // botLookupOptions), its loopback rule (the Genesys environment's), the raw conversation for KvpConfig paths, and
  // core's mintWidgetLaunch
  const pageSettings = page?.settings ?? settings;
  const loopback = env !== undefined && allowsHttpLoopback(env);
  let rawConversation: unknown;
  const conversation = await step<GenesysConversation>('conversation', async () => {
    rawConversation = await (api as GenesysApi).getConversation(input.conversationId);
    const c = parseConversation(rawConversation);
    return {
      value: c,
      detail: `${c.participants.length} participants (${[...new Set(c.participants.map((p) => p.purpose ?? '?'))].join(', ')})`,
    };
  });
  const participant = await step<GenesysParticipant>('agent participant', async () => {
    const p = findAgentParticipant(conversation as GenesysConversation, userId);
    return { value: p, detail: `participant ${p.id ?? '?'} of user ${userId}, media ${mediaOf(p) ?? 'unknown'}` };
  });
  // no queue name (a direct or outbound interaction) is not decided here: the lookup decides it, as on the page
  // (E_NO_QUEUE, or routing.defaultRow with routing.noQueuePolicy "defaultRow"), in step "row"
  const queue = await step<QueueRef>('queue', async () => {
    const q = queueOf(conversation as GenesysConversation, participant as GenesysParticipant);
    if (q.name !== undefined && q.name.trim() !== '')
      return { value: q, detail: `"${q.name}"${q.id ? ` (${q.id})` : ''}` };
    return {
      value: q,
      detail: `no queue name${q.id ? ` (queue id ${q.id} only)` : ''}: not routed through an ACD queue; routing.noQueuePolicy "${pageSettings.routing.noQueuePolicy}" decides in step "row"`,
    };
  });
  const queueName = queue?.name !== undefined && queue.name.trim() !== '' ? queue.name : undefined;
  const source = config.botSource;
  const dataTable = source.kind === 'kore-data-table' ? config.dataTable : undefined;
  await step<undefined>('identifier', async () => {
    if (queueName === undefined) return { value: undefined, detail: 'none: the interaction has no queue name' };
    if (source.kind === 'third-party')
      return {
        value: undefined,
        detail: `"${queueName}" (Third-Party Configuration matches the full queue name, no delimiter: docs/assumptions.md#queue-matching-details)`,
      };
    if (source.kind === 'genesys-legacy-table')
      return { value: undefined, detail: 'not used: the legacy Genesys data table holds one bot for every queue' };
    const table = requireDataTable(loaded, 'kaa doctor');
    const id = queueIdentifierOf(queueName, table.qDelimiter);
    return { value: undefined, detail: `"${id}" (qDelimiter "${table.qDelimiter}")` };
  });
  const lookupOptions = botLookupOptions(pageSettings, {
    qDelimiter: dataTable?.qDelimiter ?? '',
    tableName: dataTable?.name ?? '',
    allowHttpLoopback: loopback,
  });
  let rows: readonly Record<string, unknown>[] = [];
  const lookup = await step<BotLookup>('table', async () => {
    if (dataTable === undefined) {
      const found = await (await configBotSource(loaded, io, api as GenesysApi, loopback)).load();
      const how =
        source.kind === 'third-party'
          ? source.lookup === 'static'
            ? `; the config's bots are the records`
            : ` at ${thirdPartyLookupUrl(loaded)}`
          : '';
      return { value: found, detail: `${found.description}${how}` };
    }
    const client = await tableClient(loaded, io, 'read', page?.koreApiHost);
    rows = await client.queryAll(dataTable.name, undefined, { fresh: true });
    return {
      value: botLookupFromRows(rows, lookupOptions),
      detail: `${rows.length} rows of "${dataTable.name}" read with the x_metadata token at ${client.baseUrl}`,
    };
  });
  let deferredJwe: KaaError | undefined;
  const record = await step<WidgetLaunchRecord>('row', async () => {
    let found: WidgetLaunchRecord;
    try {
      found = await (lookup as BotLookup).forQueue(queue as QueueRef);
    } catch (e) {
      // a row whose only problem is its JWEPublicKey is found; the JWE step reports the key
      const rowIndex =
        dataTable !== undefined && isKaaError(e, 'E_BOT_ROW_INVALID') ? e.details['rowIndex'] : undefined;
      const problems = isKaaError(e) ? (e.details['problems'] as { column?: string }[] | undefined) : undefined;
      if (typeof rowIndex !== 'number' || !problems?.every((p) => p.column === 'JWEPublicKey')) throw e;
      deferredJwe = e as KaaError;
      found = parseBotRow(
        { ...(rows[rowIndex] ?? {}), JWEPublicKey: '', KvpConfig: '' },
        { rowIndex, tableName: lookupOptions.tableName ?? '', allowHttpLoopback: loopback },
      );
    }
    (loaded.secrets as string[]).push(found.clientSecret, ...(found.rsPrivatePem ? [found.rsPrivatePem] : []));
    const queueIds = found.queueIdentifiers.length
      ? `, ${found.origin.kind === 'kore-data-table' ? 'QueueIdentifier' : 'Queue Identifiers'} "${found.queueIdentifiers.join(', ')}"`
      : '';
    return {
      value: found,
      detail: `${recordLabel(found)}${found.origin.kind === 'default-row' ? ' (routing.defaultRow)' : ''} → BotId ${found.botId}${queueIds}`,
    };
  });
  // the JWE is step 6 of the page too (mintWidgetLaunch); a failure to encrypt is kept for step "JWE", so that
  // "widget token" reports the token on its own
  let jweFailure: unknown;
  const encrypt: typeof encryptSecureCustomData = async (...args) => {
    try {
      return await encryptSecureCustomData(...args);
    } catch (e) {
      jweFailure = e;
      return '';
    }
  };
  const launch = await step<WidgetLaunch>('widget token', async () => {
    const rec = record as WidgetLaunchRecord;
    const passthru =
      config.widget.passthruMetadata === undefined
        ? undefined
        : await loaded.secret(config.widget.passthruMetadata, ['widget', 'passthruMetadata']);
    const minted = await mintWidgetLaunch({
      record: rec,
      context: { conversationId: input.conversationId, passthruMetadata: passthru },
      settings: pageSettings,
      userId,
      conversation: rawConversation,
      media: mediaOf(participant as GenesysParticipant),
      now: new Date(io.now()),
      encrypt,
    });
    (loaded.secrets as string[]).push(minted.token, ...(minted.secureCustomData ? [minted.secureCustomData] : []));
    const signed = `${rec.algorithm} JWT for ClientId ${rec.clientId}, lifetime ${pageSettings.kore.jwt.ttlSeconds} s`;
    const agentAssistUrl = new URL(minted.url).searchParams.get('agentassisturl') ?? '';
    const check = await checkWidgetToken({
      agentAssistUrl,
      token: minted.token,
      botId: rec.botId,
      clientId: rec.clientId,
      credentials: credentialsLabel(rec),
      fetch: (u, i) => io.fetch(u, i),
      now: () => io.now(),
      timeoutMs: input.widgetTimeoutMs,
      secrets: loaded.secrets,
    });
    // an unreachable Agent AI host is the widget URL step's finding (it names the column to fix)
    if (!check.checked)
      return {
        value: minted,
        detail: `${signed}; not checked at jwtgrant: ${agentAssistUrl} cannot be reached (see step "widget URL")`,
      };
    const account = check.grant.accountId === undefined ? '' : `, Kore account ${check.grant.accountId}`;
    return {
      value: minted,
      detail: `${signed}; accepted by Kore's jwtgrant at ${agentAssistUrl} (${check.grant.tokenType} token${account})`,
    };
  });
  await step<undefined>('JWE', async () => {
    if (deferredJwe) throw deferredJwe;
    if (jweFailure !== undefined) throw jweFailure;
    const rec = record as WidgetLaunchRecord;
    const minted = launch as WidgetLaunch;
    const { alg, enc } = pageSettings.jwe;
    if (rec.kvpConfig && rec.kvpConfig.entries.length > 0) {
      const missing = minted.missingSecureKeys;
      const encrypted = new Set(rec.kvpConfig.entries.map((e) => e.key).filter((k) => !missing.includes(k)));
      return {
        value: undefined,
        detail: `${encrypted.size} KvpConfig value(s) encrypted (${alg}/${enc})${missing.length ? `; not found in this conversation: ${missing.join(', ')}` : ''}`,
      };
    }
    if (rec.jwePublicKey) {
      const key = await importJwePublicKey(rec.jwePublicKey, alg);
      return {
        value: undefined,
        detail: `JWEPublicKey usable${key.kid ? ` (kid ${key.kid})` : ''}; no KvpConfig, nothing to encrypt`,
      };
    }
    return { value: undefined, detail: 'no KvpConfig and no JWEPublicKey: no secure custom data' };
  });
  await step<undefined>('widget URL', async () => {
    const rec = record as WidgetLaunchRecord;
    const started = io.now();
    let status: number;
    try {
      const response = await io.fetch(rec.agentAssistWidgetUrl, {
        method: 'GET',
        redirect: 'follow',
        signal: AbortSignal.timeout(input.widgetTimeoutMs),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (cause) {
      throw new KaaError(
        'E_NETWORK',
        `The widget URL ${rec.agentAssistWidgetUrl} (AgentAssistWidgetURL of row ${rec.origin.rowIndex ?? '?'}, BotId ${rec.botId}) cannot be reached within ${input.widgetTimeoutMs} ms (${(cause as Error)?.name === 'TimeoutError' ? 'timeout' : 'connection failed'}). Fix the AgentAssistWidgetURL column (e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html), or check the network between agents and Kore.`,
        {
          details: { url: rec.agentAssistWidgetUrl, botId: rec.botId },
        },
      );
    }
    if (status >= 400) {
      throw new KaaError(
        status === 404 ? 'E_HTTP_NOT_FOUND' : 'E_HTTP_SERVER',
        `The widget URL ${rec.agentAssistWidgetUrl} (AgentAssistWidgetURL, BotId ${rec.botId}) answered HTTP ${status}. Fix the AgentAssistWidgetURL column to the widget page of your Agent AI host.`,
        {
          details: { url: rec.agentAssistWidgetUrl, status },
        },
      );
    }
    return {
      value: undefined,
      detail: `HTTP ${status} in ${io.now() - started} ms; iframe src ${describeWidgetUrl((launch as WidgetLaunch).url, loaded.secrets)}`,
    };
  });
  await step<undefined>('transcripts', async () => {
    // what the page needs for Genesys transcripts of a call (docs/assumptions.md#transcription-topic-refusal): the
    // agent's permission, read with the admin (or read-only) client, and voice transcription on the call's queue
    const rec = record as BotRecord;
    const media = mediaOf(participant as GenesysParticipant);
    if (media !== 'call')
      return { value: undefined, detail: `not a voice call (media ${media ?? 'unknown'}): no transcription topic` };
    if (rec.audiohookEnabled)
      return {
        value: undefined,
        detail: 'AudiohookEnabled: Kore receives the call audio through AudioHook; no Genesys transcript is needed',
      };
    const found: string[] = [];
    if (input.agentToken === undefined) {
      const session = await openAdminSession(loaded, io, { who: '"kaa doctor"', allowReadClient: true });
      const authz = await session.call(`read the roles of agent ${userId}`, 'authorization', () =>
        session.sdk.authorization.getUserRoles(userId),
      );
      if (!hasPermission(authz.permissions ?? [], TRANSCRIPTION_VIEW_PERMISSION)) {
        throw transcriptionRefused({
          missingPermissions: [TRANSCRIPTION_VIEW_PERMISSION],
          who: `the roles of agent ${userId} (${(authz.roles ?? []).map((r) => r.name ?? r.id).join(', ') || 'none'})`,
        });
      }
      found.push(
        `agent ${userId} holds "${TRANSCRIPTION_VIEW_PERMISSION}" through ${(authz.roles ?? []).map((r) => `"${r.name ?? r.id}"`).join(', ')}`,
      );
    } else found.push("the agent's roles not read (an agent token cannot read them)");
    const queueId = queue?.id;
    if (queueId !== undefined) {
      const live = await (api as GenesysApi).getQueue(queueId);
      if (live.enableTranscription === false) throw transcriptionOff({ queueName: live.name ?? queueName, queueId });
      found.push(
        `queue "${live.name ?? queueName ?? queueId}" has voice transcription ${live.enableTranscription === true ? 'on' : 'not reported'}`,
      );
    }
    return { value: undefined, detail: found.join('; ') };
  });
  for (const name of DOCTOR_STEPS) {
    if (!brokerNamed && BROKER_DOCTOR_STEPS.includes(name)) continue;
    if (!results.some((r) => r.step === name)) results.push({ step: name, status: 'skip', ms: 0, detail: 'skipped' });
  }
  return results;
}

function recordLabel(rec: BotRecord & { recordName?: string; recordId?: string }): string {
  if (rec.origin.kind === 'genesys-legacy-table')
    return `custom fields of legacy Genesys data table "${rec.origin.table ?? '?'}"`;
  if (rec.origin.kind === 'third-party')
    return `Third-Party Configuration record "${rec.recordName ?? rec.recordId ?? rec.botId}"`;
  return `row ${rec.origin.rowIndex ?? '?'}${rec.origin.sysId ? ` (sys_Id ${rec.origin.sysId})` : ''}`;
}

function credentialsLabel(rec: BotRecord & { recordName?: string; recordId?: string }): string {
  const key = rec.algorithm === 'HS256' ? 'ClientSecret' : 'RSPrivatePem';
  if (rec.origin.kind === 'genesys-legacy-table')
    return `the "Client Secret" field of legacy Genesys data table "${rec.origin.table ?? '?'}"`;
  if (rec.origin.kind === 'third-party') return `the clientSecret of ${recordLabel(rec)}`;
  return `the ${key} in row ${rec.origin.rowIndex ?? '?'}${rec.origin.table ? ` of Kore Data Table "${rec.origin.table}"` : ''}`;
}
