/**
 * The browser script of the sandbox agent desktop, a browser module bundled by esbuild (see
 * `src/browser-scripts.ts`) and served as `/desktop/app.js` by the desktop server.
 *
 * It reads `/desktop/config.json`, polls `GET {apiOrigin}/sandbox/v1/state`, lists the interactions, and
 * for the selected one shows the Interaction Widget iframe (one per interaction, kept alive when switching,
 * like Genesys) and buttons that call the sandbox control API. Tests read `window.__kaaDesktop`.
 */
import { substituteWidgetUrl } from '../desktop/widget-url.js';

interface Config {
  apiOrigin: string;
  hostOrigin: string;
  widgetUrlTemplate?: string;
  lang: string;
  targetEnv: string;
  usePopupAuth: boolean;
  environmentDomain: string;
  agentUserId?: string;
  transferToUserId: string;
  pollMs: number;
  transcriptScript: { channel: 'EXTERNAL' | 'INTERNAL'; text: string }[];
  lifecycle?: {
    bootstrap: boolean;
    focus: boolean;
    blur: boolean;
    stop: boolean;
    bootstrapTimeoutMs: number;
    stopTimeoutMs: number;
  };
}
interface LifecycleRecord {
  conversationId: string;
  event:
    | 'sent bootstrap'
    | 'sent focus'
    | 'sent blur'
    | 'sent stop'
    | 'bootstrapped'
    | 'bootstrap timeout'
    | 'stopped'
    | 'stop timeout'
    | 'removed';
  at: number;
}
interface Participant {
  id: string;
  purpose: string;
  name?: string;
  userId?: string;
  state: string;
  held: boolean;
  disconnectType?: string;
}
interface Conversation {
  id: string;
  media: string;
  queueName: string;
  state: string;
  participants: Participant[];
}
interface State {
  users: { id: string; name: string }[];
  queues: { id: string; name: string }[];
  conversations: Conversation[];
  signedInUserId?: string;
}

const frames = new Map<string, HTMLIFrameElement>();
let config: Config | undefined;
let state: State | undefined;
let selected: string | undefined;
const byId = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const lifecycleLog: LifecycleRecord[] = [];
const debug = window as unknown as {
  __kaaDesktop: {
    frames: () => string[];
    selected: () => string | undefined;
    state: () => State | undefined;
    lifecycle: () => LifecycleRecord[];
  };
};
debug.__kaaDesktop = {
  frames: () => [...frames.keys()],
  selected: () => selected,
  state: () => state,
  lifecycle: () => [...lifecycleLog],
};

// ----- the Interaction Widget's advanced.lifecycle hooks (Genesys Client App SDK protocol)
const record = (conversationId: string, event: LifecycleRecord['event']): void =>
  void lifecycleLog.push({ conversationId, event, at: Date.now() });
const appOrigin = (frame: HTMLIFrameElement): string => new URL(frame.src).origin;
const sendHook = (id: string, frame: HTMLIFrameElement, hook: 'bootstrap' | 'focus' | 'blur' | 'stop'): void => {
  // as Genesys's host does: the Client App SDK protocol name rides on every host message
  frame.contentWindow?.postMessage(
    { purecloudEventType: 'appLifecycleHook', hook, protocol: 'purecloud-client-apps' },
    appOrigin(frame),
  );
  record(id, `sent ${hook}`);
};
// defaults here too: tests replace config.json's lifecycle object with a partial one
const hooks = (): NonNullable<Config['lifecycle']> => ({
  bootstrap: false,
  focus: false,
  blur: false,
  stop: false,
  bootstrapTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
  ...config?.lifecycle,
});
// what each frame is waiting for, keyed `${conversationId} ${action}` (a stop may come while bootstrapping)
const waiting = new Map<string, () => void>();
window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { action?: unknown; protocol?: unknown } | null;
  if (!data || typeof data !== 'object' || data.protocol !== 'purecloud-client-apps') return;
  for (const [id, frame] of frames) {
    if (event.source !== frame.contentWindow || event.origin !== appOrigin(frame)) continue;
    const action = data.action === 'bootstrapped' || data.action === 'stopped' ? data.action : undefined;
    const done = action && waiting.get(`${id} ${action}`);
    if (action && done) {
      waiting.delete(`${id} ${action}`);
      record(id, action);
      done();
    }
  }
});
function bootstrapFrame(id: string, frame: HTMLIFrameElement): void {
  if (!hooks().bootstrap) return;
  frame.dataset['lifecycle'] = 'bootstrapping';
  const show = (how: 'bootstrapped' | 'bootstrap-timeout'): void => {
    clearTimeout(timer);
    frame.dataset['lifecycle'] = how;
  };
  const timer = setTimeout(() => {
    waiting.delete(`${id} bootstrapped`);
    record(id, 'bootstrap timeout');
    show('bootstrap-timeout');
  }, hooks().bootstrapTimeoutMs);
  waiting.set(`${id} bootstrapped`, () => show('bootstrapped'));
  // the hook goes to each document the frame loads until the app answers (the login page ignores it)
  frame.addEventListener('load', () => {
    if (waiting.has(`${id} bootstrapped`)) sendHook(id, frame, 'bootstrap');
  });
}
function closeWidget(id: string): void {
  const frame = frames.get(id);
  if (!frame || !config) return;
  const remove = (): void => {
    frame.remove();
    frames.delete(id);
    record(id, 'removed');
    renderDetail();
  };
  if (!hooks().stop) return remove();
  const timer = setTimeout(() => {
    waiting.delete(`${id} stopped`);
    record(id, 'stop timeout');
    remove();
  }, hooks().stopTimeoutMs);
  waiting.set(`${id} stopped`, () => (clearTimeout(timer), remove()));
  sendHook(id, frame, 'stop');
}

function say(text: string, isError = false): void {
  const el = byId('action-status');
  el.textContent = text;
  el.dataset['error'] = String(isError);
}

async function api(path: string, body?: unknown): Promise<unknown> {
  if (!config) throw new Error('no config');
  const res = await fetch(
    `${config.apiOrigin}${path}`,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const message = (json as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`;
    throw new Error(message);
  }
  return json;
}

function customerOf(c: Conversation): string {
  return c.participants.find((p) => p.purpose === 'customer' || p.purpose === 'external')?.name ?? 'Customer';
}

function renderList(): void {
  if (!state || !config) return;
  const me = config.agentUserId ?? state.signedInUserId;
  byId('agent').textContent = state.users.find((u) => u.id === me)?.name ?? me ?? 'not signed in';
  const list = byId('interactions');
  list.replaceChildren(
    ...state.conversations.map((c) => {
      const li = document.createElement('li');
      li.dataset['conversationId'] = c.id;
      li.dataset['state'] = c.state;
      if (c.id === selected) li.setAttribute('aria-current', 'true');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${c.media === 'call' ? 'Call' : 'Message'} · ${customerOf(c)} · ${c.queueName} · ${c.state}`;
      button.addEventListener('click', () => select(c.id));
      li.append(button);
      return li;
    }),
  );
  const queueSelect = byId<HTMLSelectElement>('new-queue');
  if (queueSelect.options.length === 0) {
    for (const q of state.queues) queueSelect.add(new Option(q.name, q.id));
  }
}

function renderDetail(): void {
  const c = state?.conversations.find((x) => x.id === selected);
  byId('detail-title').textContent = c
    ? `${c.media} · ${customerOf(c)} · ${c.queueName} (${c.state})`
    : 'Select an interaction';
  byId('participants').replaceChildren(
    ...(c?.participants ?? []).map((p) => {
      const li = document.createElement('li');
      li.textContent = `${p.purpose}: ${p.name ?? p.userId ?? p.id} — ${p.state}${p.held ? ' (held)' : ''}${p.disconnectType ? ` [${p.disconnectType}]` : ''}`;
      return li;
    }),
  );
  for (const b of document.querySelectorAll<HTMLButtonElement>('#actions button')) b.disabled = !c;
}

function select(id: string): void {
  if (!config) return;
  selected = id;
  let frame = frames.get(id);
  if (!frame) {
    if (!config.widgetUrlTemplate) {
      say('No Interaction Widget URL is configured (widgetUrlTemplate).', true);
    } else {
      frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-forms allow-modals');
      frame.setAttribute('allow', 'clipboard-write');
      frame.title = `Interaction Widget ${id}`;
      frame.dataset['conversationId'] = id;
      frame.src = substituteWidgetUrl(config.widgetUrlTemplate, {
        gcConversationId: id,
        gcLangTag: config.lang,
        gcHostOrigin: config.hostOrigin,
        gcTargetEnv: config.targetEnv,
        gcUsePopupAuth: String(config.usePopupAuth),
        pcConversationId: id,
        pcLangTag: config.lang,
        pcEnvironment: config.environmentDomain,
        pcUsePopupAuth: String(config.usePopupAuth),
      });
      frames.set(id, frame);
      bootstrapFrame(id, frame);
      byId('widgets').append(frame);
      frame = undefined; // just created: focus is not sent on first show
    }
  }
  for (const [fid, f] of frames) {
    const wasHidden = f.hidden;
    f.hidden = fid !== id;
    if (!wasHidden && f.hidden && hooks().blur) sendHook(fid, f, 'blur');
    if (wasHidden && !f.hidden && frame && hooks().focus) sendHook(fid, f, 'focus');
  }
  renderList();
  renderDetail();
}

async function poll(): Promise<void> {
  try {
    state = (await api('/sandbox/v1/state')) as State;
    byId('connection').textContent = 'connected';
    renderList();
    renderDetail();
  } catch (e) {
    byId('connection').textContent = `Genesys API unreachable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

async function act(label: string, path: string, body: unknown): Promise<void> {
  try {
    await api(path, body);
    say(`${label}: done`);
  } catch (e) {
    say(`${label} failed: ${e instanceof Error ? e.message : String(e)}`, true);
  }
  await poll();
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#actions button[data-action]')) {
  button.addEventListener('click', () => {
    if (!selected || !config) return;
    const action = button.dataset['action'] ?? '';
    const needsTarget = action === 'transferCold' || action === 'transferWarm';
    void act(
      button.textContent ?? action,
      `/sandbox/v1/conversations/${selected}/actions`,
      needsTarget ? { action, toUserId: config.transferToUserId } : { action },
    );
  });
}
byId('close-widget').addEventListener('click', () => {
  if (selected) closeWidget(selected);
});
byId('play-transcript').addEventListener('click', () => {
  if (!selected || !config) return;
  void act('Play transcript', `/sandbox/v1/conversations/${selected}/transcript`, {
    utterances: config.transcriptScript,
    intervalMs: 400,
  });
});
byId('message-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = byId<HTMLInputElement>('message-text');
  const text = input.value.trim();
  if (!selected || !text) return;
  input.value = '';
  void act('Customer message', `/sandbox/v1/conversations/${selected}/messages`, { direction: 'inbound', text });
});
byId('new-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const media = byId<HTMLSelectElement>('new-media').value;
  const queueId = byId<HTMLSelectElement>('new-queue').value;
  void act('New interaction', '/sandbox/v1/conversations', { media, queueId });
});

void (async () => {
  try {
    const res = await fetch('/desktop/config.json');
    config = (await res.json()) as Config;
  } catch {
    say('Could not read /desktop/config.json.', true);
    return;
  }
  renderDetail();
  await poll();
  const tick = (): void => {
    setTimeout(() => {
      void poll().then(tick);
    }, config?.pollMs ?? 1000);
  };
  tick();
})();
