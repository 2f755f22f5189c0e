/**
 * The commented starter config `kaa init` writes. Every value is a placeholder from the Kore guide; secrets
 * are referenced from environment variables, never inline.
 *
 * @example
 * ```ts
 * await io.writeFile('kaa.yaml', STARTER_CONFIG, { exclusive: true });
 * ```
 */
export const STARTER_CONFIG = `# kaa config — Kore.ai Agent AI in the Genesys Cloud CX agent desktop.
# Check it with "kaa lint --offline", then see "kaa --help" for what to run next.
# Secrets are never written here: use { env: NAME } (an environment variable) or { file: path }
# (relative to this file).
version: 1

page:
  # Where kaa's page (the Interaction Widget app) is deployed; it is also the OAuth redirect URI.
  url: https://kaa.example.com/koreaiaa-genesys/

agentAi:
  # The Agent AI URL (AudioHook koreDomainURL). The Kore public API host is derived from it
  # (https://agentassist.kore.ai → https://bots.kore.ai); override with apiHost.
  url: https://platform.kore.ai
  # apiHost: https://platform.kore.ai
  # Default AgentAssistWidgetURL of every bot.
  widgetUrl: https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html

genesys:
  # The agent desktop origin ({{gcHostOrigin}}) or the environment's domain, e.g. mypurecloud.ie.
  environment: https://apps.mypurecloud.com
  # targetEnv: prod
  # The browser OAuth client (Code Authorization with PKCE) → genesysid in the URL.
  oauthClientId: 00000000-0000-0000-0000-000000000000
  # A Client Credentials OAuth client, for "kaa doctor" and the AudioHook Advanced settings.
  clientCredentials:
    clientId: 00000000-0000-0000-0000-000000000000
    clientSecret: { env: KAA_GENESYS_CLIENT_SECRET }

# Where the page finds the bot for a queue; "kaa url" writes the matching Application URL parameters.
#   kore-data-table       multibot=true&x_metadata=…  one row per bot in the Kore Data Table below (several bots)
#   third-party           accountId=…  Agent AI Third Party Configuration: one record per bot, whose Queue
#                         Identifiers are full queue names. "kaa url" lists the records to create; "kaa doctor"
#                         checks the bots below as those records (lookup: static) or asks lookup: http + url.
#                         Leave out dataTable.
#   genesys-legacy-table  no parameter: one bot in an Architect data table with Reference Key label
#                         "agentAssist" and five custom fields ("kaa url" lists them). Exactly one bot below,
#                         without kvpConfig / jwePublicKey / RS algorithms. Leave out dataTable.
botSource:
  kind: kore-data-table
  # kind: third-party
  # accountId: 000000000000000000000000   # Agent AI > Flows & Channels > Digital > Web/Mobile Client > JWT App Details
  # lookup: static                       # or http, with url: https://…/{accountId}/config (Kore has not published it, docs/assumptions.md#third-party-configuration-runtime-api)
  # kind: genesys-legacy-table
  # tableId: 00000000-0000-0000-0000-000000000000   # optional; default: the table whose Reference Key label is agentAssist

dataTable:
  # The Kore Data Table (Agent AI > Data > Data Tables) with one row per bot (botSource kind kore-data-table).
  name: kaa_bots
  # The one character that ends the QueueIdentifier in queue names: ALPHAINC_SALES → ALPHAINC.
  qDelimiter: "_"
  # A Data app with read access: its token goes into x_metadata.
  readApp:
    clientId: cs-00000000-0000-0000-0000-000000000000
    clientSecret: { env: KAA_TABLE_READ_SECRET }
  tokenTtlSeconds: 31536000     # one year: the token lives in the widget URL (re-run "kaa url" to rotate)
  # Or give the x_metadata token itself:
  # token: { env: KAA_TABLE_TOKEN }
  # A Data app with read, write and delete access, for "kaa table apply".
  adminApp:
    clientId: cs-00000000-0000-0000-0000-000000000000
    clientSecret: { env: KAA_TABLE_ADMIN_SECRET }

bots:
  # One entry per bot; the key is a name for kaa commands (e.g. "kaa token widget --bot alpha").
  alpha:
    botId: st-00000000-0000-0000-0000-000000000000
    # The bot's JWT app (Agent AI > Flows & Channels > Digital > Web/Mobile Client).
    clientId: cs-00000000-0000-0000-0000-000000000000
    clientSecret: { env: KAA_ALPHA_CLIENT_SECRET }
    # QueueIdentifiers this bot serves: queues named ALPHAINC_… use it. With botSource third-party these
    # are full queue names (ALPHAINC_CUSTOMERSERVICE_16092024); the legacy table serves every queue.
    queues: [ALPHAINC]
    audiohookEnabled: false
    # Optional: conversation values sent encrypted (JWE) to the bot; needs jwePublicKey.
    # kvpConfig: { queue: "participants[0].queueName" }
    # jwePublicKey: { file: ./alpha-jwe-public.json }
    # algorithm: HS256            # or RS256 / RS512 with rsPrivatePem: { file: ./alpha.pem }
    # isAgentAISDK: false

widget:
  # Optional URL parameters of the Application URL.
  # showWidget: true
  # sendEventsToVG: false
  # passthruMetadata: { env: KAA_PASSTHRU }
  includeTargetEnv: true

# AudioHook Monitor (voice): "kaa audiohook" prints the Connection URI and the Advanced JSON.
# audiohook:
#   kvgHost: savg-webserver.kore.ai
#   sipuri: sip:…                      # Agent AI > Voice Gateway > SIP Numbers > Configure SIP Trunk
#   token: { env: KAA_KVG_TOKEN }
#   accountId: 000000000000000000000000
#   bot: alpha

# kaa runtime settings (open questions with their documented defaults), e.g.:
# settings:
#   routing: { fullNameFallback: false }
#   kore: { jwt: { ttlSeconds: 900 } }
`;
