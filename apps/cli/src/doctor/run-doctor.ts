import {
  buildAgentAssistUrl,
  buildCustomData,
  describeWidgetUrl,
  encryptSecureCustomData,
  extractKvp,
  findAgentParticipant,
  hasPermission,
  importJwePublicKey,
  isKaaError,
  KaaError,
  mediaOf,
  parseBotRow,
  parseConversation,
  queueIdentifierOf,
  queueOf,
  resolveBotRecord,
  resolveEnvironment,
  signWidgetJwt,
  toKaaError,
  TRANSCRIPTION_VIEW_PERMISSION,
  transcriptionOff,
  transcriptionRefused,
  type BotLookup,
  type BotRecord,
  type GenesysConversation,
  type GenesysEnvironment,
  type GenesysParticipant,
} from '@kaa/core';
import { createClientCredentialsAuth, createGenesysApi, type GenesysApi } from '@kaa/genesys-adapter';
import { pageKoreApiHost } from '@kaa/kore-client';
import type { LoadedConfig } from '../config/loaded-config.js';
import { configBotSource, thirdPartyLookupUrl } from '../bot-source/config-bot-source.js';
import { allowHttpLoopback, koreApiBase, requireDataTable, tableClient } from '../connections.js';
import type { CliIo } from '../io.js';
import { openAdminSession } from '../genesys-admin/admin-session.js';
import { DOCTOR_STEPS, type DoctorStepName, type DoctorStepResult } from './doctor-step.js';
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
 * (resolved with those settings), token, conversation, agent participant, queue, identifier, table (read with the
 * x_metadata token at the Kore API host the deployed page uses: kore-client's `pageKoreApiHost`, the page's own
 * call), row, widget token, JWE, widget URL. So doctor cannot pass where the page fails for its settings.
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
  const step = async <T>(name: DoctorStepName, run: () => Promise<{ value: T; detail: string }>): Promise<T | undefined> => {
    if (failed) {
      results.push({ step: name, status: 'skip', ms: 0, detail: 'skipped (an earlier step failed)' });
      return undefined;
    }
    input.onStart?.(name);
    const started = io.now();
    try {
      const { value, detail } = await run();
      const result: DoctorStepResult = { step: name, status: 'ok', ms: io.now() - started, detail };
      results.push(result);
      input.onStep?.(result);
      return value;
    } catch (e) {
      failed = true;
      const error = toKaaError(e, 'E_INTERNAL', `kaa doctor failed unexpectedly in step "${name}". Report this as a bug in kaa.`, { secrets: loaded.secrets });
      const result: DoctorStepResult = { step: name, status: 'fail', ms: io.now() - started, detail: error.code, error: { code: error.code, message: error.message, details: error.details } };
      results.push(result);
      input.onStep?.(result);
      return undefined;
    }
  };

  const page = await step<DeployedPage & { koreApiHost?: string }>('page', async () => {
    const deployed = await readDeployedPage(loaded, io, input.widgetTimeoutMs);
    const from = deployed.embedded ? 'settings embedded in index.html' : 'no embedded settings: kaa.config.json next to it (or defaults)';
    if (config.botSource.kind !== 'kore-data-table') return { value: deployed, detail: `${deployed.url}: ${from}` };
    const koreApiHost = pageKoreApiHost(deployed.settings); // the page's own call: fails where the page fails
    const configured = koreApiBase(loaded);
    if (koreApiHost !== configured) {
      throw new KaaError('E_CONFIG_INVALID', `The deployed page ${deployed.url} reads the Kore Data Table at ${koreApiHost} (setting kore.apiHost, ${from}), but ${loaded.file} says ${configured}. Run "kaa page --dist <the built page>" and deploy it again.`, {
        details: { url: deployed.url, pageKoreApiHost: koreApiHost, configKoreApiHost: configured },
      });
    }
    return { value: { ...deployed, koreApiHost }, detail: `${deployed.url}: ${from}; Kore API host ${koreApiHost}` };
  });
  const env = await step<GenesysEnvironment>('environment', async () => {
    // resolved with the deployed page's settings (its extra environments), as the page resolves it
    const g = config.genesys;
    const pageSettings = (page as DeployedPage).settings;
    const e = resolveEnvironment({ hostOrigin: g.environment, ...(g.targetEnv !== undefined && { targetEnv: g.targetEnv }) }, pageSettings.genesys.environments, { enable: pageSettings.genesys.enableEnvironments });
    return { value: e, detail: `${e.name} (api ${e.apiBase}, login ${e.loginBase})` };
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
    if (cc === undefined || env === undefined) throw new KaaError('E_CONFIG_INVALID', `${loaded.where(['genesys'])}: "genesys.clientCredentials" is missing. Add a Client Credentials OAuth client { clientId, clientSecret } so kaa doctor can read the conversation.`);
    const clientSecret = await loaded.secret(cc.clientSecret, ['genesys', 'clientCredentials', 'clientSecret']);
    const auth = createClientCredentialsAuth({ clientId: cc.clientId, clientSecret, environment: env, fetch: fetchFn, now: () => io.now() });
    (loaded.secrets as string[]).push(await auth.getToken());
    const expires = auth.expiresAt();
    return { value: createGenesysApi({ environment: env, auth, fetch: fetchFn, maxAttempts: 2 }), detail: `client credentials token for OAuth client ${cc.clientId}${expires ? `, valid ${Math.round((expires - io.now()) / 60_000)} min` : ''}` };
  });
  const conversation = await step<GenesysConversation>('conversation', async () => {
    const c = parseConversation(await (api as GenesysApi).getConversation(input.conversationId));
    return { value: c, detail: `${c.participants.length} participants (${[...new Set(c.participants.map((p) => p.purpose ?? '?'))].join(', ')})` };
  });
  const participant = await step<GenesysParticipant>('agent participant', async () => {
    const p = findAgentParticipant(conversation as GenesysConversation, userId);
    return { value: p, detail: `participant ${p.id ?? '?'} of user ${userId}, media ${mediaOf(p) ?? 'unknown'}` };
  });
  let queueId: string | undefined;
  const queueName = await step<string>('queue', async () => {
    const q = queueOf(conversation as GenesysConversation, participant as GenesysParticipant);
    queueId = q.id;
    if (q.name === undefined || q.name.trim() === '') {
      throw new KaaError('E_NO_QUEUE', `Conversation ${input.conversationId} has no queue name for this agent${q.id ? ` (queue id ${q.id} only)` : ''}: it was not routed through an ACD queue, so no bot row can match. Test with an interaction that came through a queue${settings.routing.noQueuePolicy === 'error' ? ', or set routing.noQueuePolicy to "defaultRow" with routing.defaultRow' : ''}.`, { details: { queueId: q.id } });
    }
    return { value: q.name, detail: `"${q.name}"${q.id ? ` (${q.id})` : ''}` };
  });
  const source = config.botSource;
  const dataTable = source.kind === 'kore-data-table' ? config.dataTable : undefined;
  await step<string>('identifier', async () => {
    if (source.kind === 'third-party') return { value: queueName as string, detail: `"${queueName}" (Third-Party Configuration matches the full queue name, no delimiter: docs/assumptions.md#queue-matching-details)` };
    if (source.kind === 'genesys-legacy-table') return { value: queueName as string, detail: 'not used: the legacy Genesys data table holds one bot for every queue' };
    const table = requireDataTable(loaded, 'kaa doctor');
    const id = queueIdentifierOf(queueName as string, table.qDelimiter);
    return { value: id, detail: `"${id}" (qDelimiter "${table.qDelimiter}")` };
  });
  let lookup: BotLookup | undefined;
  const rows = await step<readonly Record<string, unknown>[]>('table', async () => {
    if (dataTable === undefined) {
      lookup = await (await configBotSource(loaded, io, api as GenesysApi)).load();
      const how = source.kind === 'third-party' ? (source.lookup === 'static' ? `; the config's bots are the records` : ` at ${thirdPartyLookupUrl(loaded)}`) : '';
      return { value: [], detail: `${lookup.description}${how}` };
    }
    const client = await tableClient(loaded, io, 'read', page?.koreApiHost);
    const r = await client.queryAll(dataTable.name, undefined, { fresh: true });
    return { value: r, detail: `${r.length} rows of "${dataTable.name}" read with the x_metadata token at ${client.baseUrl}` };
  });
  let deferredJwe: KaaError | undefined;
  const routing = {
    qDelimiter: dataTable?.qDelimiter ?? '',
    caseSensitive: settings.routing.caseSensitive,
    fullNameFallback: settings.routing.fullNameFallback,
    ...(settings.routing.defaultRow !== null && { defaultRow: settings.routing.defaultRow }),
    tableName: dataTable?.name ?? '',
    allowHttpLoopback: allowHttpLoopback(loaded),
  };
  const record = await step<BotRecord>('row', async () => {
    if (lookup !== undefined) {
      const found = await lookup.forQueue({ name: queueName as string, ...(queueId !== undefined && { id: queueId }) });
      (loaded.secrets as string[]).push(found.clientSecret);
      return { value: found, detail: `${recordLabel(found)} → BotId ${found.botId}${found.queueIdentifiers.length ? `, Queue Identifiers "${found.queueIdentifiers.join(', ')}"` : ''}` };
    }
    let r: BotRecord;
    try {
      r = resolveBotRecord(queueName as string, rows as readonly unknown[], routing);
    } catch (e) {
      // a row whose only problem is its JWEPublicKey is found; the JWE step reports the key
      const rowIndex = isKaaError(e, 'E_BOT_ROW_INVALID') ? e.details['rowIndex'] : undefined;
      const problems = isKaaError(e) ? (e.details['problems'] as { column?: string }[] | undefined) : undefined;
      if (typeof rowIndex !== 'number' || !problems?.every((p) => p.column === 'JWEPublicKey')) throw e;
      deferredJwe = e as KaaError;
      const row = (rows as readonly Record<string, unknown>[])[rowIndex] ?? {};
      r = parseBotRow({ ...row, JWEPublicKey: '', KvpConfig: '' }, { rowIndex, tableName: routing.tableName, allowHttpLoopback: routing.allowHttpLoopback });
    }
    return { value: r, detail: `row ${r.origin.rowIndex ?? '?'}${r.origin.sysId ? ` (sys_Id ${r.origin.sysId})` : ''} → BotId ${r.botId}, QueueIdentifier "${r.queueIdentifiers.join(', ')}"` };
  });
  const token = await step<string>('widget token', async () => {
    const rec = record as BotRecord;
    const t = await signWidgetJwt({
      clientId: rec.clientId,
      subject: userId,
      algorithm: rec.algorithm,
      clientSecret: rec.clientSecret,
      privateKeyPem: rec.rsPrivatePem,
      ttlSeconds: settings.kore.jwt.ttlSeconds,
      now: new Date(io.now()),
      audience: settings.kore.jwt.aud,
      includeJti: settings.kore.jwt.includeJti,
      secretEncoding: settings.kore.jwt.secretEncoding,
    });
    (loaded.secrets as string[]).push(t, rec.clientSecret, ...(rec.rsPrivatePem ? [rec.rsPrivatePem] : []));
    const signed = `${rec.algorithm} JWT for ClientId ${rec.clientId}, lifetime ${settings.kore.jwt.ttlSeconds} s`;
    const agentAssistUrl = new URL(buildAgentAssistUrl(rec, { conversationId: input.conversationId }, { token: t, isCall: false, ...(settings.kore.agentAssistUrl !== undefined && { agentAssistUrl: settings.kore.agentAssistUrl }) })).searchParams.get('agentassisturl') ?? '';
    const check = await checkWidgetToken({
      agentAssistUrl,
      token: t,
      botId: rec.botId,
      clientId: rec.clientId,
      credentials: credentialsLabel(rec),
      fetch: (u, i) => io.fetch(u, i),
      now: () => io.now(),
      timeoutMs: input.widgetTimeoutMs,
      secrets: loaded.secrets,
    });
    // an unreachable Agent AI host is the widget URL step's finding (it names the column to fix)
    if (!check.checked) return { value: t, detail: `${signed}; not checked at jwtgrant: ${agentAssistUrl} cannot be reached (see step "widget URL")` };
    const account = check.grant.accountId === undefined ? '' : `, Kore account ${check.grant.accountId}`;
    return { value: t, detail: `${signed}; accepted by Kore's jwtgrant at ${agentAssistUrl} (${check.grant.tokenType} token${account})` };
  });
  await step<undefined>('JWE', async () => {
    if (deferredJwe) throw deferredJwe;
    const rec = record as BotRecord;
    if (rec.kvpConfig) {
      const extraction = extractKvp(conversation, rec.kvpConfig);
      const jwe = await encryptSecureCustomData(extraction.values, rec.jwePublicKey ?? '', {
        alg: settings.jwe.alg,
        enc: settings.jwe.enc,
        now: new Date(io.now()),
        issuer: rec.clientId,
        subject: userId,
        claimNames: settings.jwe.claimNames,
      });
      (loaded.secrets as string[]).push(jwe);
      const missing = extraction.missing.map((m) => m.key);
      return { value: undefined, detail: `${Object.keys(extraction.values).length} KvpConfig value(s) encrypted (${settings.jwe.alg}/${settings.jwe.enc})${missing.length ? `; not found in this conversation: ${missing.join(', ')}` : ''}` };
    }
    if (rec.jwePublicKey) {
      const key = await importJwePublicKey(rec.jwePublicKey, settings.jwe.alg);
      return { value: undefined, detail: `JWEPublicKey usable${key.kid ? ` (kid ${key.kid})` : ''}; no KvpConfig, nothing to encrypt` };
    }
    return { value: undefined, detail: 'no KvpConfig and no JWEPublicKey: no secure custom data' };
  });
  await step<undefined>('widget URL', async () => {
    const rec = record as BotRecord;
    const media = mediaOf(participant as GenesysParticipant);
    const passthru = config.widget.passthruMetadata === undefined ? undefined : await loaded.secret(config.widget.passthruMetadata, ['widget', 'passthruMetadata']);
    const url = buildAgentAssistUrl(rec, { conversationId: input.conversationId }, {
      token: token as string,
      isCall: media === 'call' || media === 'callback',
      customData: buildCustomData({ passthru, forward: settings.passthru.forward }),
      source: settings.kore.source,
      ...(settings.kore.agentAssistUrl !== undefined && { agentAssistUrl: settings.kore.agentAssistUrl }),
      ...(settings.kore.language !== undefined && { language: settings.kore.language }),
    });
    const started = io.now();
    let status: number;
    try {
      const response = await io.fetch(rec.agentAssistWidgetUrl, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(input.widgetTimeoutMs) });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (cause) {
      throw new KaaError('E_NETWORK', `The widget URL ${rec.agentAssistWidgetUrl} (AgentAssistWidgetURL of row ${rec.origin.rowIndex ?? '?'}, BotId ${rec.botId}) cannot be reached within ${input.widgetTimeoutMs} ms (${(cause as Error)?.name === 'TimeoutError' ? 'timeout' : 'connection failed'}). Fix the AgentAssistWidgetURL column (e.g. https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html), or check the network between agents and Kore.`, {
        details: { url: rec.agentAssistWidgetUrl, botId: rec.botId },
      });
    }
    if (status >= 400) {
      throw new KaaError(status === 404 ? 'E_HTTP_NOT_FOUND' : 'E_HTTP_SERVER', `The widget URL ${rec.agentAssistWidgetUrl} (AgentAssistWidgetURL, BotId ${rec.botId}) answered HTTP ${status}. Fix the AgentAssistWidgetURL column to the widget page of your Agent AI host.`, {
        details: { url: rec.agentAssistWidgetUrl, status },
      });
    }
    return { value: undefined, detail: `HTTP ${status} in ${io.now() - started} ms; iframe src ${describeWidgetUrl(url, loaded.secrets)}` };
  });
  await step<undefined>('transcripts', async () => {
    // what the page needs for Genesys transcripts of a call (docs/assumptions.md#transcription-topic-refusal): the
    // agent's permission, read with the admin (or read-only) client, and voice transcription on the call's queue
    const rec = record as BotRecord;
    const media = mediaOf(participant as GenesysParticipant);
    if (media !== 'call') return { value: undefined, detail: `not a voice call (media ${media ?? 'unknown'}): no transcription topic` };
    if (rec.audiohookEnabled) return { value: undefined, detail: 'AudiohookEnabled: Kore receives the call audio through AudioHook; no Genesys transcript is needed' };
    const found: string[] = [];
    if (input.agentToken === undefined) {
      const session = await openAdminSession(loaded, io, { who: '"kaa doctor"', allowReadClient: true });
      const authz = await session.call(`read the roles of agent ${userId}`, 'authorization', () => session.sdk.authorization.getUserRoles(userId));
      if (!hasPermission(authz.permissions ?? [], TRANSCRIPTION_VIEW_PERMISSION)) {
        throw transcriptionRefused({ missingPermissions: [TRANSCRIPTION_VIEW_PERMISSION], who: `the roles of agent ${userId} (${(authz.roles ?? []).map((r) => r.name ?? r.id).join(', ') || 'none'})` });
      }
      found.push(`agent ${userId} holds "${TRANSCRIPTION_VIEW_PERMISSION}" through ${(authz.roles ?? []).map((r) => `"${r.name ?? r.id}"`).join(', ')}`);
    } else found.push("the agent's roles not read (an agent token cannot read them)");
    if (queueId !== undefined) {
      const queue = await (api as GenesysApi).getQueue(queueId);
      if (queue.enableTranscription === false) throw transcriptionOff({ queueName: queue.name ?? queueName, queueId });
      found.push(`queue "${queue.name ?? queueName ?? queueId}" has voice transcription ${queue.enableTranscription === true ? 'on' : 'not reported'}`);
    }
    return { value: undefined, detail: found.join('; ') };
  });
  for (const name of DOCTOR_STEPS) if (!results.some((r) => r.step === name)) results.push({ step: name, status: 'skip', ms: 0, detail: 'skipped' });
  return results;
}

function recordLabel(rec: BotRecord & { recordName?: string; recordId?: string }): string {
  if (rec.origin.kind === 'genesys-legacy-table') return `custom fields of legacy Genesys data table "${rec.origin.table ?? '?'}"`;
  if (rec.origin.kind === 'third-party') return `Third-Party Configuration record "${rec.recordName ?? rec.recordId ?? rec.botId}"`;
  return `row ${rec.origin.rowIndex ?? '?'}${rec.origin.sysId ? ` (sys_Id ${rec.origin.sysId})` : ''}`;
}

function credentialsLabel(rec: BotRecord & { recordName?: string; recordId?: string }): string {
  const key = rec.algorithm === 'HS256' ? 'ClientSecret' : 'RSPrivatePem';
  if (rec.origin.kind === 'genesys-legacy-table') return `the "Client Secret" field of legacy Genesys data table "${rec.origin.table ?? '?'}"`;
  if (rec.origin.kind === 'third-party') return `the clientSecret of ${recordLabel(rec)}`;
  return `the ${key} in row ${rec.origin.rowIndex ?? '?'}${rec.origin.table ? ` of Kore Data Table "${rec.origin.table}"` : ''}`;
}
