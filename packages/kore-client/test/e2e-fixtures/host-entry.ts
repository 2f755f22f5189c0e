// The host page of the widget-host e2e test: bundled with esbuild and served on its own 127.0.0.1 origin.
import { mountAgentAssist, type AgentAssistHost } from '../../src/index.js';

interface KaaTestGlobals {
  host: AgentAssistHost;
  events: { type: string; text?: string; code?: string }[];
  loaded: boolean;
}

const params = new URLSearchParams(location.search);
const widgetUrl = params.get('widget') ?? '';
const conversationId = params.get('conversation') ?? 'c1';
const host = mountAgentAssist(document.getElementById('widget') as HTMLElement, {
  url: widgetUrl,
  allowHttpLoopback: true,
  loadTimeoutMs: 10_000,
});
const globals: KaaTestGlobals = { host, events: [], loaded: false };
(window as unknown as { kaa: KaaTestGlobals }).kaa = globals;
host.on('send', (m) => globals.events.push({ type: 'send', text: m.text }));
host.on('error', (e) => globals.events.push({ type: 'error', code: e.code }));
host.on('loaded', () => globals.events.push({ type: 'loaded' }));
// all of this happens before the widget has loaded: it must be queued
host.sendUtterance({ speaker: 'customer', conversationId, text: 'queued before load' });
host.sendUtterance({ speaker: 'agent', conversationId, text: 'agent line before load' });
host.setAgentInfo({ agentId: 'a1', agentName: 'Ava Agent' });
host.setUserInfo({ userId: 'u1', userName: 'Carla Customer' });
host.loaded.then(() => (globals.loaded = true)).catch(() => undefined);
