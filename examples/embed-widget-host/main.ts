/**
 * The example page: mounts kore-client's widget host (`mountAgentAssist`) with a session minted by the example
 * server, sends agent and customer info and the session's utterances, lets you type more, and lists the widget's
 * "send" events (the agent pressed Send on a suggestion). Bundled with esbuild by `start-embed-widget-host.ts`.
 */
import { KaaError, isKaaError, isLoopbackHost, toKaaError } from '@kaa/core';
import { mountAgentAssist } from '@kaa/kore-client';
import { parseWidgetSession } from './widget-session.js';

/** What the page exposes for its test (nothing secret: no URL, no token). */
interface EmbedExampleState {
  loaded: boolean;
  sent: { speaker: 'customer' | 'agent'; text: string }[];
  events: string[];
  errors: string[];
}

const state: EmbedExampleState = { loaded: false, sent: [], events: [], errors: [] };
(window as unknown as { __embedExample: EmbedExampleState }).__embedExample = state;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const append = (listId: string, text: string) => {
  const li = document.createElement('li');
  li.textContent = text;
  byId(listId).append(li);
};
const fail = (e: unknown) => {
  const error = isKaaError(e) ? e : toKaaError(e, 'E_INTERNAL', 'The example page failed unexpectedly.');
  state.errors.push(error.code);
  const panel = byId<HTMLParagraphElement>('error');
  panel.hidden = false;
  panel.textContent = `${error.code} (${error.step}): ${error.message}`;
};

async function start(): Promise<void> {
  const response = await fetch('./session.json', { cache: 'no-store' });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const reason = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
    throw new KaaError(
      'E_HTTP_SERVER',
      `The example server could not mint a widget session (HTTP ${response.status}): ${typeof reason === 'string' ? reason : 'no reason given'}`,
      {
        details: { status: response.status },
      },
    );
  }
  const session = parseWidgetSession(body);
  const host = mountAgentAssist(byId('widget'), {
    url: session.widgetUrl,
    allowHttpLoopback: isLoopbackHost(location.hostname),
    title: 'Kore.ai Agent AI (example)',
  });
  host.iframe.style.width = '100%';
  host.iframe.style.height = '420px';
  host.on('error', fail);
  host.on('send', (message) => {
    state.events.push(message.text);
    append('events', message.text);
  });

  // Everything below is queued until the widget announces agentassist_loaded; agent and user info go first.
  host.setAgentInfo({ agentId: session.agent.id, agentName: session.agent.name });
  host.setUserInfo({ userId: session.customer.id, userName: session.customer.name });
  const send = (speaker: 'customer' | 'agent', text: string) => {
    host.sendUtterance({ speaker, conversationId: session.conversationId, text });
    state.sent.push({ speaker, text });
    append('sent', `${speaker === 'customer' ? 'Customer' : 'Agent'}: ${text}`);
  };
  for (const line of session.utterances) send(line.speaker, line.text);

  byId<HTMLFormElement>('utterance-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('utterance-text');
    const speaker = byId<HTMLSelectElement>('speaker').value === 'agent' ? 'agent' : 'customer';
    if (input.value.trim() === '') return;
    send(speaker, input.value.trim());
    input.value = '';
  });

  byId('status').textContent = 'Waiting for the widget…';
  await host.loaded;
  state.loaded = true;
  byId('status').textContent = `Widget loaded for conversation ${session.conversationId}.`;
  addEventListener('pagehide', () => host.destroy(), { once: true });
}

start().catch(fail);
