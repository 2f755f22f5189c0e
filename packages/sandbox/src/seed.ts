/**
 * The sandbox world's fixed identities: one org, two agents, queues, OAuth clients, bots and tables.
 * Every part of the sandbox (Genesys, Kore, desktop) and every test names things through this file,
 * so that a queue name here is the same queue name in the Kore data table rows.
 *
 * The secrets below are demo values for a local emulator only; they guard nothing real.
 */

export const ORG = { id: '5a1b0000-0000-4000-8000-00000000000a', name: 'Alpha Inc (sandbox)' } as const;

/** A second organisation on the same Genesys environment: its users exist, but no kaa deployment serves it. */
export const OTHER_ORG = { id: '5a1b0000-0000-4000-8000-00000000000b', name: 'Beta Corp (sandbox)' } as const;

/** Users of {@link OTHER_ORG} (a token broker that serves only {@link ORG} refuses them). Not participants of {@link ORG}'s interactions. */
export const OTHER_ORG_USERS = {
  outsider: { id: 'b9e00000-0000-4000-8000-000000000001', name: 'Olga Outsider', email: 'olga@beta.example' },
  /** The agent of {@link OTHER_ORG_CONVERSATIONS}.voiceBeta. */
  agent: { id: 'b9e00000-0000-4000-8000-000000000002', name: 'Bea Agent', email: 'bea.agent@beta.example' },
} as const;

/**
 * Queues of {@link OTHER_ORG}. The name starts with `ALPHAINC`, the QueueIdentifier of {@link ORG}'s alpha bot: if
 * anything resolved another org's conversation with {@link ORG}'s bot table, it would find a bot.
 */
export const OTHER_ORG_QUEUES = {
  beta: { id: '9e0e0000-0000-4000-8000-0000000000b1', name: 'ALPHAINC_BETACORP_2025' },
} as const;

/**
 * Interactions of {@link OTHER_ORG}: seeded with the others, visible only to that org's users (Genesys answers 404 to
 * a user of another org, as for an id that does not exist), and not listed in the sandbox state's `conversations`
 * (the desktop is {@link ORG}'s); `GET /sandbox/v1/state` lists them under `otherOrgConversations`.
 */
export const OTHER_ORG_CONVERSATIONS = {
  /** A connected call on {@link OTHER_ORG_QUEUES}.beta handled by {@link OTHER_ORG_USERS}.agent. */
  voiceBeta: 'c0b00000-0000-4000-8000-000000000001',
} as const;

/**
 * The organisation of a sandbox user: {@link OTHER_ORG} for {@link OTHER_ORG_USERS}, else {@link ORG} (client
 * credentials, without a user, are {@link ORG}'s).
 *
 * @example
 * ```ts
 * orgIdOfUser(OTHER_ORG_USERS.agent.id); // OTHER_ORG.id
 * ```
 */
export function orgIdOfUser(userId: string | undefined): string {
  return Object.values(OTHER_ORG_USERS).some((u) => u.id === userId) ? OTHER_ORG.id : ORG.id;
}

export const USERS = {
  /** The agent signed in automatically at the sandbox login page. */
  agent: { id: 'a9e00000-0000-4000-8000-000000000001', name: 'Ava Agent', email: 'ava.agent@alpha.example' },
  /** A second agent: the target of transfers. */
  agent2: { id: 'a9e00000-0000-4000-8000-000000000002', name: 'Ben Agent', email: 'ben.agent@alpha.example' },
} as const;

export const QUEUES = {
  /** The guide's example: QueueIdentifier `ALPHAINC` with delimiter `_`. Mapped to the `alpha` bot. */
  alpha: { id: '9e0e0000-0000-4000-8000-000000000001', name: 'ALPHAINC_CUSTOMERSERVICE_16092024' },
  /** Mapped through the comma list "Kore, KoreSupport" to the `kore` bot. */
  koreSupport: { id: '9e0e0000-0000-4000-8000-000000000002', name: 'KoreSupport' },
  /** No row for `BETA` in the data table: E_QUEUE_NOT_MAPPED. */
  unmapped: { id: '9e0e0000-0000-4000-8000-000000000003', name: 'BETA_SALES_2024' },
  /** Two rows list `DUPE`: E_QUEUE_AMBIGUOUS. */
  duplicate: { id: '9e0e0000-0000-4000-8000-000000000004', name: 'DUPE_BILLING' },
  /** Mapped to the `rs` bot, whose row uses Algorithm RS256 with RSPrivatePem. */
  rsa: { id: '9e0e0000-0000-4000-8000-000000000005', name: 'RSA_PREMIUM_2025' },
  /** Mapped to the `audio` bot through the `AUDIO` row, whose AudiohookEnabled is true (Kore audio) and which has a KvpConfig. */
  audiohook: { id: '9e0e0000-0000-4000-8000-000000000006', name: 'AUDIO_CARE_2025' },
} as const;

/** The queue delimiter configured in x_metadata (`qDelimiter`). */
export const Q_DELIMITER = '_';

export const OAUTH_CLIENTS = {
  /** Implicit grant only, configured exactly as the Kore guide says (existing installs). */
  implicit: { id: 'c1a00000-0000-4000-8000-00000000000a', grants: ['implicit'] as const },
  /** Authorization code + PKCE only, as Genesys requires for new clients. */
  pkce: { id: 'c1a00000-0000-4000-8000-00000000000b', grants: ['pkce'] as const },
  /** Client credentials, for servers, the CLI (`kaa doctor`, AudioHook) and the Genesys SDK tests: read scopes only. */
  credentials: {
    id: 'c1a00000-0000-4000-8000-00000000000c',
    secret: 'sandbox-client-credentials-secret',
    grants: ['client_credentials'] as const,
  },
  /**
   * Client credentials with the admin scopes `kaa provision` needs (OAuth clients, integrations, roles, queues,
   * data tables). In every org, also the empty one: the admin creates it by hand once.
   */
  admin: {
    id: 'c1a00000-0000-4000-8000-00000000000d',
    secret: 'sandbox-admin-client-secret',
    grants: ['client_credentials'] as const,
  },
} as const;

/** The org's divisions: only the home division. */
export const DIVISIONS = {
  home: { id: '0d1v0000-0000-4000-8000-0000000000d1', name: 'Home' },
} as const;

/** The org's groups (Admin › Directory › Groups). */
export const GROUPS = {
  /** Both agents: the group the widget and the page's role are for. */
  agents: {
    id: '6e0b0000-0000-4000-8000-000000000001',
    name: 'Agent AI Agents',
    memberIds: [USERS.agent.id, USERS.agent2.id],
  },
  /** Nobody: granting the page's role here leaves the agents without it. */
  supervisors: { id: '6e0b0000-0000-4000-8000-000000000002', name: 'Supervisors', memberIds: [] as string[] },
} as const;

/**
 * The role the seeded org grants to {@link GROUPS}.agents in the home division: what the page needs (transcripts,
 * the queue read of its diagnosis, the legacy data table). The empty org has no role.
 */
export const SEEDED_ROLE = { id: '7e1e0000-0000-4000-8000-000000000001', name: 'Agent AI (sandbox seed)' } as const;

/** Bots (Kore JWT apps). `clientSecret` signs HS256 widget JWTs; the RS bot verifies with its public key. */
export const BOTS = {
  alpha: {
    botId: 'st-a1fa0000-0000-4000-8000-000000000001',
    clientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
    clientSecret: 'alpha-bot-client-secret-0001',
    name: 'Alpha Customer Service',
  },
  kore: {
    botId: 'st-c0de0000-0000-4000-8000-000000000002',
    clientId: 'cs-c0de0000-0000-4000-8000-000000000002',
    clientSecret: 'kore-bot-client-secret-0002',
    name: 'Kore Support',
  },
  dupe1: {
    botId: 'st-d0be0000-0000-4000-8000-000000000003',
    clientId: 'cs-d0be0000-0000-4000-8000-000000000003',
    clientSecret: 'dupe-bot-client-secret-0003',
    name: 'Billing A',
  },
  dupe2: {
    botId: 'st-d0be0000-0000-4000-8000-000000000004',
    clientId: 'cs-d0be0000-0000-4000-8000-000000000004',
    clientSecret: 'dupe-bot-client-secret-0004',
    name: 'Billing B',
  },
  rs: {
    botId: 'st-25a00000-0000-4000-8000-000000000005',
    clientId: 'cs-25a00000-0000-4000-8000-000000000005',
    clientSecret: 'rs-bot-client-secret-0005',
    name: 'RSA Premium',
  },
  /** The `AUDIO` row's bot: Kore audio (AudiohookEnabled true) with secure custom data. */
  audio: {
    botId: 'st-a0d10000-0000-4000-8000-000000000006',
    clientId: 'cs-a0d10000-0000-4000-8000-000000000006',
    clientSecret: 'audio-bot-client-secret-0006',
    name: 'Audio Care',
  },
} as const;

/** The Kore Data Table of the multi-bot mode, and the Data app granted access to it. */
export const KORE_DATA_TABLE = {
  name: 'kaa_bots',
  readApp: {
    appId: 'cs-da7a0000-0000-4000-8000-0000000000a1',
    clientSecret: 'data-app-read-secret-00a1',
    permissions: ['read'] as const,
  },
  adminApp: {
    appId: 'cs-da7a0000-0000-4000-8000-0000000000a2',
    clientSecret: 'data-app-admin-secret-00a2',
    permissions: ['read', 'write', 'delete'] as const,
  },
} as const;

/**
 * The Third-Party Configuration account (accountId mode), and the app whose platform JWT may read its records (the
 * sandbox's lookup requires one; see the sandbox README, "Inferred behaviours").
 */
export const THIRD_PARTY = {
  accountId: '6a1c0000-0000-4000-8000-0000000000ac',
  readApp: { appId: 'cs-7b1d0000-0000-4000-8000-0000000000a3', clientSecret: 'third-party-read-secret-00a3' },
} as const;

/** The legacy single-bot Genesys data table (Reference Key label `agentAssist`). */
export const LEGACY_TABLE = { id: 'da7a7ab1-0000-4000-8000-000000000001', name: 'Kore Agent Assist' } as const;

/** Seeded interactions, one per scenario the demo and the tests exercise. */
export const CONVERSATIONS = {
  voiceAlpha: 'c0a00000-0000-4000-8000-000000000001',
  chatKore: 'c0a00000-0000-4000-8000-000000000002',
  voiceUnmapped: 'c0a00000-0000-4000-8000-000000000003',
  voiceDuplicate: 'c0a00000-0000-4000-8000-000000000004',
  voiceRsa: 'c0a00000-0000-4000-8000-000000000005',
  /** A call on the AUDIO queue: AudiohookEnabled=true, so the page relays no transcript and the JWE rides in the widget URL. */
  voiceAudiohook: 'c0a00000-0000-4000-8000-000000000006',
} as const;
