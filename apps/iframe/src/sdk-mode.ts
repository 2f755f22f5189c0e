/**
 * The Agent AI Web SDK mode (`isAgentAISDK=true`), in its own chunk: only loaded for rows that ask for it.
 * @packageDocumentation
 */
export { loadAgentAiSdk, mountAgentAiSdkView } from '@kaa/kore-client';
