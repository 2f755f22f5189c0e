/**
 * @kaa/broker — kaa's token broker: a web-standard `(Request) => Promise<Response>` handler that holds the bot secrets
 * and the bot-table credentials, verifies the agent's Genesys token and participation, and mints the Agent AI widget
 * launch server-side (docs/architecture.md#broker-mode). Built from `@kaa/core` and the two adapters; mount it in a
 * Node server (`apps/broker`), a serverless function or an edge runtime.
 * @packageDocumentation
 */
export { createBroker } from './broker.js';
export { createBrokerClient } from './client.js';
export type { BrokerClient, BrokerClientOptions, BrokerFetch } from './client.js';
export type { Broker, BrokerLimits, BrokerOptions } from './broker.js';
export { createMemoryStore, createRedisStore } from './store.js';
export type { BrokerStore, MemoryStoreOptions, RedisCommand, RedisStoreOptions } from './store.js';
export { createAgentVerifier, tokenHash } from './verify-agent.js';
export type { AgentVerifier, AgentVerifierOptions, ServedEnvironment, VerifiedAgent } from './verify-agent.js';
export { cacheBotSource } from './cached-bot-source.js';
export { errorResponse, statusOf } from './http-errors.js';
