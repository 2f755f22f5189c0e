// Over 300 lines on purpose: one self-contained browser script (bundled alone by esbuild) playing the widget's whole postMessage side.
/**
 * The browser script of the stand-in Agent AI widget, a browser module bundled by esbuild (see
 * `src/browser-scripts.ts`) and served as `agentassist-stand-in.js` next to the widget page on the Kore origin.
 *
 * Contract honoured (docs/kore-protocol.md#widget-iframe-url, widget v3): refuses to start without `token`, `botid`,
 * `agentassisturl`, `conversationid` (or their camel-case forms, or an `init_agentassist` message); posts
 * `{method: 'agentassist_loaded', name: 'agent_assist'}` to its parent with target `'*'`; exchanges the token
 * at `{agentassisturl}/api/1.1/oAuth/token/jwtgrant` and shows "connected" only after that succeeds;
 * routes utterances on `author.type`; never checks `event.origin` (like the real widget) but records it.
 * Tests read `window.__kaaWidgetState`.
 */
export {}; // a module: its declarations stay its own

interface Line {
  speaker: 'Customer' | 'Agent';
  text: string;
  at: number;
}
interface Lifecycle {
  at: number;
  event: string;
  detail?: string;
}
type Status = 'booting' | 'refused' | 'connecting' | 'connected' | 'error';
interface WidgetState {
  status: Status;
  error?: string;
  missing: string[];
  botId?: string;
  botName?: string;
  conversationId?: string;
  agentAssistUrl?: string;
  language?: string;
  isCall: boolean;
  channel?: string;
  source?: string;
  accountId?: string;
  customData?: unknown;
  messageCustomData?: unknown;
  secureCustomData?: { claims?: unknown; error?: string };
  agent?: { id?: string; name?: string };
  user?: { id?: string; name?: string };
  transcript: Line[];
  lifecycle: Lifecycle[];
  origins: string[];
  sent: string[];
  ended: boolean;
}
type Params = Record<string, string | undefined>;

const state: WidgetState = {
  status: 'booting',
  missing: [],
  isCall: false,
  transcript: [],
  lifecycle: [],
  origins: [],
  sent: [],
  ended: false,
};
(window as unknown as { __kaaWidgetState: WidgetState }).__kaaWidgetState = state;
let accessToken = '';
let tokenType = 'bearer';
const queued: { data: Record<string, unknown>; origin: string }[] = [];
/** True once the messages queued while connecting were handled: until then new ones queue behind them (order). */
let drained = false;
const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

function note(event: string, detail?: string): void {
  state.lifecycle.push(detail === undefined ? { at: Date.now(), event } : { at: Date.now(), event, detail });
}

// Rendering and publishing are coalesced (at most one of each per RENDER_MS / PUBLISH_MS, trailing), and the
// transcript list grows by appending: a burst of utterances costs the frame little, as a real widget's would. The
// stand-in shares the page's renderer in the sandbox (same site), so its work would otherwise be timed as the page's.
const RENDER_MS = 16;
const PUBLISH_MS = 100;
let renderTimer: ReturnType<typeof setTimeout> | undefined;
let publishTimer: ReturnType<typeof setTimeout> | undefined;
function changed(): void {
  renderTimer ??= setTimeout(() => {
    renderTimer = undefined;
    render();
  }, RENDER_MS);
  // the whole state is posted: past 100 lines, one post per line-count ms (a 30,000-line soak posts every 30 s, not
  // 1.8 MB ten times a second)
  publishTimer ??= setTimeout(() => publish(false), Math.max(PUBLISH_MS, state.transcript.length));
}
/** Posts the state; `keepalive` (body ≤ 64 KB) lets the request outlive a frame being removed. */
function publish(keepalive: boolean): void {
  clearTimeout(publishTimer);
  publishTimer = undefined;
  void fetch(`${location.origin}/sandbox/kore/v1/widget-state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId: state.conversationId ?? '', state }),
    keepalive,
  }).catch(() => undefined);
}
// a frame removed within PUBLISH_MS of its last change (showWidget=false, lifecycle stop) still reports it
window.addEventListener('pagehide', () => {
  if (publishTimer !== undefined) publish(true);
});

function text(id: string, value: unknown): void {
  const el = byId(id);
  if (el)
    el.textContent =
      value === undefined || value === '' ? '—' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/**
 * Shows `items` in list `id`, one `format`ted line each: appends what is new when the list only grew (formatting
 * only the new items), else rebuilds it.
 */
function list<T>(id: string, items: readonly T[], format: (item: T) => string): void {
  const el = byId(id);
  if (!el) return;
  const line = (value: T): HTMLLIElement => {
    const li = document.createElement('li');
    li.textContent = format(value);
    return li;
  };
  const shown = el.children.length;
  const last = items[shown - 1];
  const grew =
    shown <= items.length &&
    (shown === 0 || (last !== undefined && el.children[shown - 1]?.textContent === format(last)));
  if (grew) el.append(...items.slice(shown).map(line));
  else el.replaceChildren(...items.map(line));
}

function render(): void {
  const status = byId('status');
  status.textContent = state.status;
  status.dataset['status'] = state.status;
  const error = byId('error');
  error.hidden = !state.error;
  error.textContent = state.error ?? '';
  text('bot-id', state.botId);
  text('bot-name', state.botName);
  text('conversation-id', state.conversationId);
  text('language', state.language);
  text('channel', `${state.channel ?? ''} (isCall ${String(state.isCall)})`);
  text('agent', state.agent ? `${state.agent.name ?? ''} (${state.agent.id ?? ''})` : undefined);
  text('user', state.user ? `${state.user.name ?? ''} (${state.user.id ?? ''})` : undefined);
  text('custom-data', state.messageCustomData ?? state.customData);
  text('secure-custom-data', state.secureCustomData?.error ?? state.secureCustomData?.claims);
  list('transcript', state.transcript, (l) => `${l.speaker}: ${l.text}`);
  list('lifecycle', state.lifecycle, (l) => (l.detail ? `${l.event} — ${l.detail}` : l.event));
  (byId('send') as HTMLButtonElement).disabled = state.status !== 'connected';
}

function fromUrl(): Params {
  const q = new URLSearchParams(location.search);
  const get = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = q.get(n);
      if (v !== null && v !== '') return v;
    }
    return undefined;
  };
  return {
    token: get('token'),
    botId: get('botId', 'botid'),
    agentassisturl: get('agentassisturl'),
    conversationId: get('conversationId', 'conversationid'),
    isCall: get('isCall'),
    channel: get('channel'),
    source: get('source'),
    customData: get('customData', 'customdata'),
    interactiveLanguage: get('interactiveLanguage'),
    secureCustomData: get('secureCustomData'),
  };
}

// the page may send the same JWE with every utterance (jwe.transport = message): decrypt each value once
let decrypted: string | undefined;
async function decrypt(jwe: string): Promise<void> {
  if (jwe === decrypted) return;
  decrypted = jwe;
  try {
    const res = await fetch(`${state.agentAssistUrl ?? ''}/sandbox/kore/v1/decrypt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `${tokenType} ${accessToken}` },
      body: JSON.stringify({ jwe }),
    });
    const json = (await res.json()) as { claims?: unknown; text?: string; errors?: { msg?: string }[] };
    state.secureCustomData = res.ok
      ? { claims: json.claims ?? json.text }
      : { error: json.errors?.[0]?.msg ?? `decrypt failed (${res.status})` };
  } catch {
    state.secureCustomData = { error: 'decrypt request failed' };
  }
  note('secureCustomData', state.secureCustomData.error ? 'not decrypted' : 'decrypted');
  changed();
}

async function boot(params: Params): Promise<void> {
  const required: [string, string | undefined][] = [
    ['token', params['token']],
    ['botid', params['botId']],
    ['agentassisturl', params['agentassisturl']],
    ['conversationid', params['conversationId']],
  ];
  state.missing = required.filter(([, v]) => !v).map(([n]) => n);
  state.botId = params['botId'];
  state.conversationId = params['conversationId'];
  if (state.missing.length > 0) {
    state.status = 'refused';
    state.error = `Agent AI cannot start: missing ${state.missing.join(', ')}. The host page must pass token, botid, agentassisturl and conversationid.`;
    note('refused', state.missing.join(', '));
    changed();
    return;
  }
  state.agentAssistUrl = (params['agentassisturl'] ?? '').replace(/\/+$/, '');
  state.isCall = params['isCall'] === 'true';
  state.channel = params['channel'] ?? (state.isCall ? 'voice' : 'chat');
  state.source = params['source'];
  state.language = params['interactiveLanguage'] ?? 'en';
  if (params['customData'] !== undefined) {
    try {
      state.customData = JSON.parse(params['customData']) as unknown;
    } catch {
      state.status = 'error';
      state.error =
        'customData is not JSON, so the widget cannot load. Pass customData as encodeURIComponent(JSON.stringify(object)).';
      note('error', 'customData is not JSON');
      changed();
      return;
    }
  }
  state.status = 'connecting';
  if (window.parent !== window) window.parent.postMessage({ method: 'agentassist_loaded', name: 'agent_assist' }, '*');
  note('agentassist_loaded posted');
  changed();
  try {
    const res = await fetch(`${state.agentAssistUrl}/api/1.1/oAuth/token/jwtgrant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        assertion: params['token'],
        botInfo: { chatBot: state.botId, taskBotId: state.botId },
        token: {},
      }),
    });
    const json = (await res.json().catch(() => ({}))) as {
      authorization?: { token_type?: string; accessToken?: string };
      userInfo?: { accountId?: string };
      errors?: { msg?: string }[];
    };
    if (!res.ok || !json.authorization?.accessToken) {
      const why = json.errors?.[0]?.msg ?? `HTTP ${res.status}`;
      state.status = 'error';
      state.error =
        res.status === 500
          ? 'Agent AI backend services are not reachable. Try again later.'
          : `Please check the configuration settings: the token was rejected (${why}).`;
      note('jwtgrant failed', why);
      queued.length = 0;
      changed();
      return;
    }
    accessToken = json.authorization.accessToken;
    tokenType = json.authorization.token_type ?? 'bearer';
    state.accountId = json.userInfo?.accountId;
  } catch {
    state.status = 'error';
    state.error = `Agent AI at ${state.agentAssistUrl} is not reachable. Check agentassisturl.`;
    note('jwtgrant failed', 'network');
    changed();
    return;
  }
  state.status = 'connected';
  note('connected', 'jwtgrant verified the token');
  try {
    const res = await fetch(
      `${state.agentAssistUrl}/agentassist/api/v1/agentassist/${encodeURIComponent(state.botId ?? '')}/agentassistsetting?e=${state.channel}`,
      {
        headers: {
          authorization: `${tokenType} ${accessToken}`,
          accountId: state.accountId ?? '',
          iid: state.botId ?? '',
        },
      },
    );
    const settings = (await res.json()) as { botName?: string };
    if (res.ok) state.botName = settings.botName;
    else note('settings failed', `HTTP ${res.status}; using defaults`);
  } catch {
    note('settings failed', 'network; using defaults');
  }
  changed();
  if (params['secureCustomData']) void decrypt(params['secureCustomData']);
  for (const m of queued.splice(0)) handle(m.data, m.origin);
  drained = true;
}

function handle(data: Record<string, unknown>, origin: string): void {
  const name = String(data['name'] ?? data['method'] ?? '');
  const author = data['author'] as { type?: unknown } | undefined;
  if (author && (author.type === 'USER' || author.type === 'AGENT')) {
    const convId = String(data['conversationid'] ?? data['conversationId'] ?? '');
    if (convId !== state.conversationId) {
      note('ignored utterance', `conversation ${convId} is not ${state.conversationId ?? ''}`);
    } else {
      state.transcript.push({
        speaker: author.type === 'USER' ? 'Customer' : 'Agent',
        text: String(data['value'] ?? ''),
        at: Date.now(),
      });
      if (data['customData'] !== undefined) state.messageCustomData = data['customData'];
      if (typeof data['secureCustomData'] === 'string' && data['secureCustomData'] !== '')
        void decrypt(data['secureCustomData']);
    }
  } else if (name === 'setAgentInfo') {
    const d = (data['agentDetails'] ?? {}) as { agentId?: string; agentName?: string };
    state.agent = { id: d.agentId, name: d.agentName };
    note('setAgentInfo', d.agentName);
  } else if (name === 'setUserInfo') {
    const d = (data['userDetails'] ?? {}) as { userId?: string; userName?: string };
    state.user = { id: d.userId, name: d.userName };
    note('setUserInfo', d.userName);
  } else if (name === 'agentAssist.endOfConversation') {
    if (String(data['conversationId'] ?? '') === state.conversationId) {
      state.ended = true;
      const history = (data['payload'] as { chatHistory?: unknown[] } | undefined)?.chatHistory;
      note('endOfConversation', `chatHistory ${Array.isArray(history) ? history.length : 0} entries`);
    } else {
      note('ignored endOfConversation', 'other conversation');
    }
  } else if (name === 'conversation.endAgentAssist') {
    if (String(data['convsId'] ?? '') === state.conversationId) {
      state.transcript = [];
      note('endAgentAssist', 'widget state cleared');
    } else {
      note('ignored endAgentAssist', 'other conversation');
    }
  } else if (name === 'userBotConvos' || name === 'initial_data' || name === 'response_resolution_comments') {
    note(name);
  } else {
    note('unknown message ignored', name || '(no name)');
  }
  if (!state.origins.includes(origin)) state.origins.push(origin);
  changed();
}

window.addEventListener('message', (ev: MessageEvent) => {
  const data = ev.data as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return;
  const record = data as Record<string, unknown>;
  if (record['name'] === 'init_agentassist') {
    if (state.status === 'refused' || state.status === 'booting') {
      const p = (record['urlParams'] ?? {}) as Record<string, unknown>;
      const s = (k: string): string | undefined =>
        typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined;
      note('init_agentassist');
      void boot({
        token: s('token'),
        botId: s('botId') ?? s('botid'),
        agentassisturl: s('agentassisturl'),
        conversationId: s('conversationId') ?? s('conversationid'),
        isCall: s('isCall'),
        channel: s('channel'),
        source: s('source'),
        customData: s('customData') ?? s('customdata'),
        interactiveLanguage: s('interactiveLanguage'),
        secureCustomData: s('secureCustomData'),
      });
    }
    return;
  }
  if (state.status === 'connected' && drained) handle(record, ev.origin);
  else if (state.status === 'connecting' || state.status === 'booting' || state.status === 'connected')
    queued.push({ data: record, origin: ev.origin });
  else {
    note('ignored message', `widget is ${state.status}`);
    changed();
  }
});

byId('send-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = byId('send-text') as HTMLInputElement;
  const payload = input.value.trim();
  if (!payload || state.status !== 'connected') return;
  window.parent.postMessage(
    { method: 'send', name: 'agentAssist.SendMessage', conversationId: state.conversationId, payload },
    '*',
  );
  state.sent.push(payload);
  note('agentAssist.SendMessage posted');
  input.value = '';
  changed();
});

void boot(fromUrl());
