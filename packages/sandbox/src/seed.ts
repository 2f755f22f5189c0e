/**
 * The sandbox world's fixed identities: one org, two agents, queues, OAuth clients, bots and tables.
 * Every part of the sandbox (Genesys, Kore, desktop) and every test names things through this file,
 * so that a queue name here is the same queue name in the Kore data table rows.
 *
 * The secrets below are demo values for a local emulator only; they guard nothing real.
 */

export const ORG = { id: '5a1b0000-0000-4000-8000-00000000000a', name: 'Alpha Inc (sandbox)' } as const;

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
  /** Client credentials, for servers, the CLI and the Genesys SDK tests. */
  credentials: { id: 'c1a00000-0000-4000-8000-00000000000c', secret: 'sandbox-client-credentials-secret', grants: ['client_credentials'] as const },
} as const;

/** Bots (Kore JWT apps). `clientSecret` signs HS256 widget JWTs; the RS bot verifies with its public key. */
export const BOTS = {
  alpha: { botId: 'st-a1fa0000-0000-4000-8000-000000000001', clientId: 'cs-a1fa0000-0000-4000-8000-000000000001', clientSecret: 'alpha-bot-client-secret-0001', name: 'Alpha Customer Service' },
  kore: { botId: 'st-c0de0000-0000-4000-8000-000000000002', clientId: 'cs-c0de0000-0000-4000-8000-000000000002', clientSecret: 'kore-bot-client-secret-0002', name: 'Kore Support' },
  dupe1: { botId: 'st-d0be0000-0000-4000-8000-000000000003', clientId: 'cs-d0be0000-0000-4000-8000-000000000003', clientSecret: 'dupe-bot-client-secret-0003', name: 'Billing A' },
  dupe2: { botId: 'st-d0be0000-0000-4000-8000-000000000004', clientId: 'cs-d0be0000-0000-4000-8000-000000000004', clientSecret: 'dupe-bot-client-secret-0004', name: 'Billing B' },
  rs: { botId: 'st-25a00000-0000-4000-8000-000000000005', clientId: 'cs-25a00000-0000-4000-8000-000000000005', clientSecret: 'rs-bot-client-secret-0005', name: 'RSA Premium' },
  /** The `AUDIO` row's bot: Kore audio (AudiohookEnabled true) with secure custom data. */
  audio: { botId: 'st-a0d10000-0000-4000-8000-000000000006', clientId: 'cs-a0d10000-0000-4000-8000-000000000006', clientSecret: 'audio-bot-client-secret-0006', name: 'Audio Care' },
} as const;

/** The Kore Data Table of the multi-bot mode, and the Data app granted access to it. */
export const KORE_DATA_TABLE = {
  name: 'kaa_bots',
  readApp: { appId: 'cs-da7a0000-0000-4000-8000-0000000000a1', clientSecret: 'data-app-read-secret-00a1', permissions: ['read'] as const },
  adminApp: { appId: 'cs-da7a0000-0000-4000-8000-0000000000a2', clientSecret: 'data-app-admin-secret-00a2', permissions: ['read', 'write', 'delete'] as const },
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
