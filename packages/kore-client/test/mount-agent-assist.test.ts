import { isKaaError, type KaaError } from '@kaa/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAgentAiSdk, mountAgentAiSdkView, mountAgentAssist, type AgentAiSdkConstructor } from '../src/index.js';

const WIDGET =
  'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&botid=st-1';
const ORIGIN = 'https://agentassist.kore.ai';

/** A minimal DOM: one window with message listeners and manual timers, an iframe whose contentWindow records posts. */
function fakeDom() {
  const listeners = new Set<(e: MessageEvent) => void>();
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  const posted: { message: unknown; targetOrigin: string }[] = [];
  const frameWindow = {
    postMessage: (message: unknown, targetOrigin: string) => void posted.push({ message, targetOrigin }),
  };
  const attrs: Record<string, string> = {};
  let attached = false;
  const iframe = {
    style: {} as Record<string, string>,
    src: '',
    get contentWindow() {
      return attached ? frameWindow : null;
    },
    setAttribute: (k: string, v: string) => void (attrs[k] = v),
    remove: () => void (attached = false),
  };
  const win = {
    addEventListener: (type: string, fn: (e: MessageEvent) => void) => type === 'message' && listeners.add(fn),
    removeEventListener: (type: string, fn: (e: MessageEvent) => void) => listeners.delete(fn),
    setTimeout: (fn: () => void) => (timers.set(nextTimer, fn), nextTimer++),
    clearTimeout: (id: number) => void timers.delete(id),
  };
  const doc = { createElement: () => iframe };
  const container = { appendChild: () => void (attached = true) };
  const deliver = (data: unknown, origin = ORIGIN, source: unknown = frameWindow) => {
    for (const fn of [...listeners]) fn({ data, origin, source } as MessageEvent);
  };
  const fireTimers = () => {
    for (const [id, fn] of [...timers]) {
      timers.delete(id);
      fn();
    }
  };
  return {
    win: win as unknown as Window,
    doc: doc as unknown as Document,
    container: container as unknown as HTMLElement,
    iframe,
    attrs,
    posted,
    deliver,
    fireTimers,
    listeners,
    frameWindow,
    isAttached: () => attached,
  };
}

const LOADED = { method: 'agentassist_loaded', name: 'agent_assist' };

describe('mountAgentAssist', () => {
  it('queues until agentassist_loaded, then sends agent/user info first, then the rest in order, to the exact origin', async () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    expect(dom.attrs.allow).toBe('clipboard-write');
    expect(dom.iframe.src).toBe(WIDGET);
    expect(host.origin).toBe(ORIGIN);
    host.sendUtterance({ speaker: 'customer', conversationId: 'c1', text: 'I want to check my balance' });
    host.setAgentInfo({ agentId: 'a1', agentName: 'Ava Agent' });
    host.sendChatText({ speaker: 'agent', conversationId: 'c1', text: 'Sure' });
    host.setUserInfo({ userId: 'u1', userName: 'Carla' });
    expect(dom.posted).toHaveLength(0);
    expect(host.pending).toBe(2);
    let loaded = 0;
    host.on('loaded', () => loaded++);
    dom.deliver(LOADED);
    await host.loaded;
    expect(loaded).toBe(1);
    expect(dom.posted.map((p) => (p.message as { name: string }).name)).toEqual([
      'setAgentInfo',
      'setUserInfo',
      'agentAssist.CustomerMessage',
      'agentAssist.AgentMessage',
    ]);
    expect(dom.posted.every((p) => p.targetOrigin === ORIGIN)).toBe(true);
    expect(dom.posted[2]?.message).toMatchObject({
      author: { type: 'USER' },
      conversationid: 'c1',
      conversationId: 'c1',
      value: 'I want to check my balance',
    });
    host.sendUtterance({ speaker: 'agent', conversationId: 'c1', text: 'after' });
    expect(dom.posted).toHaveLength(5);
    dom.deliver(LOADED); // the widget reloaded: info again
    expect(dom.posted.slice(5).map((p) => (p.message as { name: string }).name)).toEqual([
      'setAgentInfo',
      'setUserInfo',
    ]);
  });

  it('reload: points the iframe at a fresh URL of the same origin, queues until the reloaded widget is loaded, then sends the info again', () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    host.setAgentInfo({ agentId: 'a1', agentName: 'Ava Agent' });
    dom.deliver(LOADED);
    expect(dom.posted).toHaveLength(1);
    const fresh = WIDGET.replace('c2ln', 'bmV3') + '&secureCustomData=a.b.c.d.e';
    host.reload(fresh);
    expect(dom.iframe.src).toBe(fresh);
    host.sendChatText({ speaker: 'customer', conversationId: 'c1', text: 'during the reload' });
    expect(dom.posted).toHaveLength(1);
    expect(host.pending).toBe(1);
    dom.deliver(LOADED);
    expect(dom.posted.slice(1).map((p) => (p.message as { name: string }).name)).toEqual([
      'setAgentInfo',
      'agentAssist.CustomerMessage',
    ]);
    const other = (() => {
      try {
        host.reload('https://evil.example/widget.html?token=x');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(isKaaError(other) && other.code).toBe('E_WIDGET_URL_INVALID');
    expect(dom.iframe.src).toBe(fresh);
  });

  it('reload: a widget that never comes back fails with E_WIDGET_LOAD_TIMEOUT', () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    dom.deliver(LOADED);
    const errors: string[] = [];
    host.on('error', (e) => errors.push(e.code));
    host.reload(WIDGET);
    dom.fireTimers();
    expect(errors).toEqual(['E_WIDGET_LOAD_TIMEOUT']);
  });

  it('ignores messages from another origin or another window; emits typed events for the widget', () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    const sends: string[] = [];
    const other: string[] = [];
    host.on('send', (m) => sends.push(m.text));
    host.on('copy', (m) => other.push(`copy:${m.text}`));
    host.on('summary', (m) => other.push(`summary:${m.summaries.join('|')}`));
    host.on('urlClicked', (m) => other.push(`url:${m.url}`));
    const send = { method: 'send', name: 'agentAssist.SendMessage', conversationId: 'c1', payload: 'Hello there' };
    dom.deliver(send, 'https://evil.example');
    dom.deliver(send, ORIGIN, {});
    dom.deliver(LOADED, 'https://evil.example');
    dom.deliver(send, ORIGIN, null);
    expect(sends).toEqual([]);
    expect(host.pending).toBe(0);
    dom.deliver(send);
    dom.deliver({ method: 'copy', name: 'agentAssist.CopyMessage', payload: 'copied' });
    dom.deliver({
      name: 'agentAssist.conversation_summary',
      conversationId: 'c1',
      payload: { summary: [{ summary_text: 'S1' }] },
    });
    dom.deliver({ method: 'AgentAssist.UrlClickedMessage', from: 'agent_assist', url: 'https://kore.ai/doc' });
    expect(sends).toEqual(['Hello there']);
    expect(other).toEqual(['copy:copied', 'summary:S1', 'url:https://kore.ai/doc']);
  });

  it('reports malformed widget messages as E_WIDGET_MESSAGE_INVALID and survives throwing handlers', () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    const errors: KaaError[] = [];
    host.on('error', (e) => errors.push(e));
    host.on('send', () => {
      throw new Error('handler bug');
    });
    dom.deliver({ method: 'send', payload: 42 });
    dom.deliver({ method: 'send', payload: 'ok' });
    dom.deliver({ name: 'something.new' });
    expect(errors.map((e) => e.code)).toEqual(['E_WIDGET_MESSAGE_INVALID']);
  });

  it('times out with E_WIDGET_LOAD_TIMEOUT, keeps the queue, and still delivers if the widget loads later', async () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, {
      url: WIDGET,
      window: dom.win,
      document: dom.doc,
      loadTimeoutMs: 5000,
    });
    const errors: KaaError[] = [];
    host.on('error', (e) => errors.push(e));
    host.sendUtterance({ speaker: 'customer', conversationId: 'c1', text: 'hello' });
    dom.fireTimers();
    await expect(host.loaded).rejects.toMatchObject({
      code: 'E_WIDGET_LOAD_TIMEOUT',
      message: expect.stringContaining('within 5 s'),
    });
    expect(errors[0]?.code).toBe('E_WIDGET_LOAD_TIMEOUT');
    expect(errors[0]?.message).not.toContain('eyJ');
    dom.deliver(LOADED);
    expect(dom.posted.map((p) => (p.message as { value?: string }).value)).toEqual(['hello']);
  });

  it('destroy removes the iframe and the listener; later sends are dropped', () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    host.destroy();
    host.destroy();
    expect(dom.isAttached()).toBe(false);
    expect(dom.listeners.size).toBe(0);
    host.sendUtterance({ speaker: 'customer', conversationId: 'c1', text: 'x' });
    expect(host.pending).toBe(0);
  });

  it('refuses "*" and bad URLs; accepts an explicit exact origin', () => {
    const dom = fakeDom();
    const mount = (o: Partial<Parameters<typeof mountAgentAssist>[1]>) => () =>
      mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc, ...o });
    expect(mount({ targetOrigin: '*' })).toThrow(expect.objectContaining({ code: 'E_WIDGET_URL_INVALID' }));
    expect(mount({ targetOrigin: 'https://platform.kore.ai/path' })).toThrow(
      expect.objectContaining({ code: 'E_WIDGET_URL_INVALID' }),
    );
    expect(mount({ url: 'http://agentassist.kore.ai/x' })).toThrow(/must use https/);
    expect(mount({ url: 'nope' })).toThrow(expect.objectContaining({ code: 'E_WIDGET_URL_INVALID' }));
    expect(mount({ targetOrigin: 'https://platform.kore.ai' })().origin).toBe('https://platform.kore.ai');
    expect(mount({ url: 'http://127.0.0.1:9/w', allowHttpLoopback: true })().origin).toBe('http://127.0.0.1:9');
  });

  it('property: any inbound message from the widget is handled without throwing', () => {
    const dom = fakeDom();
    const host = mountAgentAssist(dom.container, { url: WIDGET, window: dom.win, document: dom.doc });
    const errors: unknown[] = [];
    host.on('error', (e) => errors.push(e));
    fc.assert(fc.property(fc.anything(), (data) => void dom.deliver(data)));
    fc.assert(
      fc.property(
        fc.record({
          method: fc.constantFrom('send', 'copy', 'agentassist_loaded', 'AgentAssist.UrlClickedMessage'),
          name: fc.string(),
          payload: fc.anything(),
          url: fc.anything(),
        }),
        (data) => void dom.deliver(data),
      ),
    );
    expect(errors.every((e) => isKaaError(e, 'E_WIDGET_MESSAGE_INVALID'))).toBe(true);
  });
});

describe('Web SDK mode', () => {
  it('loadAgentAiSdk without a script URL → E_WIDGET_SDK_UNAVAILABLE with the fallback advice', async () => {
    const e = (await loadAgentAiSdk({ window: {} as Window, document: {} as Document }).catch(
      (x: unknown) => x,
    )) as KaaError;
    expect(e.code).toBe('E_WIDGET_SDK_UNAVAILABLE');
    expect(e.message.toLowerCase()).toContain(
      'the agent ai web sdk is not public; configure kore.websdk.scripturl or use iframe mode',
    );
    await expect(
      loadAgentAiSdk({ scriptUrl: 'http://cdn.example.com/sdk.js', window: {} as Window, document: {} as Document }),
    ).rejects.toMatchObject({ code: 'E_WIDGET_SDK_UNAVAILABLE' });
  });

  it('loadAgentAiSdk injects the script and resolves the global, or fails on error', async () => {
    const scripts: Record<string, unknown>[] = [];
    const win = { setTimeout: () => 1, clearTimeout: () => {} } as unknown as Window & Record<string, unknown>;
    const doc = {
      baseURI: 'https://page.example/',
      createElement: () => ({ remove() {} }),
      head: { appendChild: (s: Record<string, unknown>) => void scripts.push(s) },
    } as unknown as Document;
    const p = loadAgentAiSdk({ scriptUrl: 'https://cdn.example.com/agentai.js', window: win, document: doc });
    (win as Record<string, unknown>).AAWindow = class {};
    (scripts[0]?.onload as () => void)();
    expect(typeof (await p)).toBe('function');
    expect(scripts[0]?.src).toBe('https://cdn.example.com/agentai.js');
    delete (win as Record<string, unknown>).AAWindow;
    const q = loadAgentAiSdk({ scriptUrl: 'https://cdn.example.com/agentai.js', window: win, document: doc });
    (scripts[1]?.onerror as () => void)();
    await expect(q).rejects.toMatchObject({ code: 'E_WIDGET_SDK_UNAVAILABLE' });
  });

  it('mountAgentAiSdkView queues until ON_SOCKET_CONNECTION and maps utterances to the SDK', async () => {
    const calls: string[] = [];
    const handlers: Record<string, () => void> = {};
    const AAWindow = class {
      show(o: { connectionDetails: Record<string, unknown> }) {
        calls.push(`show:${String(o.connectionDetails.botId)}`);
      }
      on(event: string, fn: () => void) {
        handlers[event] = fn;
      }
      sendUserMessage(m: { message: string; author: { type: string } }) {
        calls.push(`user:${m.author.type}:${m.message}`);
      }
      sendAgentMessage(m: { message: string; author: { type: string } }) {
        calls.push(`agent:${m.author.type}:${m.message}`);
      }
      endOfConversation() {
        calls.push('end');
      }
      destroy() {
        calls.push('destroy');
      }
    } as unknown as AgentAiSdkConstructor;
    const view = mountAgentAiSdkView({} as HTMLElement, {
      AAWindow,
      connectionDetails: { botId: 'st-1' },
      timers: { setTimeout: () => 1, clearTimeout: () => {} },
    });
    view.sendUtterance({ speaker: 'customer', conversationId: 'c1', text: 'hi' });
    expect(calls).toEqual(['show:st-1']);
    handlers.ON_SOCKET_CONNECTION?.();
    await view.loaded;
    view.sendChatText({ speaker: 'agent', conversationId: 'c1', text: 'hello' });
    view.endOfConversation({ conversationId: 'c1', chatHistory: [] });
    view.destroy();
    expect(calls).toEqual(['show:st-1', 'user:USER:hi', 'agent:AGENT:hello', 'end', 'destroy']);
    expect(() => view.sendUtterance({ speaker: 'customer', conversationId: 'c1', text: ' ' })).toThrow(
      expect.objectContaining({ code: 'E_WIDGET_MESSAGE_INVALID' }),
    );
  });
});
