import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_APP_PROTOCOL, createClientAppLifecycle } from '@kaa/genesys-adapter';
import type { ClientAppLifecycleHook, HostMessageEvent } from '@kaa/genesys-adapter';

const DESKTOP = 'https://apps.mypurecloud.ie';

function setup(trustedOrigins: string[] = [DESKTOP]) {
  const posted: { message: unknown; origin: string }[] = [];
  const host = { postMessage: (message: unknown, origin: string) => void posted.push({ message, origin }) };
  let handler: ((e: HostMessageEvent) => void) | null = null;
  let unsubscribed = false;
  const lifecycle = createClientAppLifecycle({
    host,
    listen: (h) => {
      handler = h;
      return () => void (unsubscribed = true);
    },
    trustedOrigins,
    agentVersion: '9.9.9',
  });
  const hook = (name: string, origin = DESKTOP, source: unknown = host) =>
    handler?.({ data: { purecloudEventType: 'appLifecycleHook', hook: name }, origin, source });
  return {
    lifecycle,
    posted,
    hook,
    host,
    send: (e: HostMessageEvent) => handler?.(e),
    unsubscribed: () => unsubscribed,
  };
}

const answer = (action: string) => ({
  action,
  protocol: CLIENT_APP_PROTOCOL,
  protocolAgentName: 'kaa',
  protocolAgentVersion: '9.9.9',
});

describe('createClientAppLifecycle (Genesys client-app lifecycle hooks)', () => {
  it('answers bootstrap with bootstrapped once the page is ready, to the hook origin only', () => {
    const { lifecycle, posted, hook } = setup();
    hook('bootstrap');
    expect(posted).toEqual([]); // nothing on screen yet
    lifecycle.ready();
    expect(posted).toEqual([{ message: answer('bootstrapped'), origin: DESKTOP }]);
    lifecycle.ready();
    expect(posted).toHaveLength(1);
  });

  it('a bootstrap hook after ready is answered at once; nothing is sent unasked', () => {
    const { lifecycle, posted, hook } = setup();
    lifecycle.ready();
    expect(posted).toEqual([]);
    hook('bootstrap');
    expect(posted).toEqual([{ message: answer('bootstrapped'), origin: DESKTOP }]);
  });

  it('stop runs the listeners; stopped() answers it', async () => {
    const { lifecycle, posted, hook } = setup();
    const seen: string[] = [];
    lifecycle.on('stop', () => void seen.push('stop'));
    lifecycle.on('focus', () => void seen.push('focus'));
    const removeBlur = lifecycle.on('blur', () => void seen.push('blur'));
    hook('focus');
    hook('blur');
    removeBlur();
    hook('blur');
    hook('stop');
    expect(seen).toEqual(['focus', 'blur', 'stop']);
    expect(lifecycle.received).toEqual(['focus', 'blur', 'blur', 'stop']);
    expect(posted).toEqual([]);
    lifecycle.stopped();
    expect(posted).toEqual([{ message: answer('stopped'), origin: DESKTOP }]);
  });

  it('ignores other windows, other shapes and untrusted origins; holds the host’s hooks until the origin is trusted', () => {
    const { lifecycle, posted, hook, send } = setup([]);
    lifecycle.ready();
    hook('bootstrap', DESKTOP, {}); // not the host window
    send({ data: { purecloudEventType: 'appLifecycleHook', hook: 'explode' }, origin: DESKTOP, source: undefined });
    send({ data: 'appLifecycleHook', origin: DESKTOP, source: undefined });
    hook('bootstrap', 'https://evil.example');
    hook('bootstrap'); // the host, at an origin the page has not learnt yet
    expect(posted).toEqual([]);
    expect(lifecycle.received).toEqual([]);
    lifecycle.trust(DESKTOP);
    expect(lifecycle.received).toEqual(['bootstrap']);
    expect(posted).toEqual([{ message: answer('bootstrapped'), origin: DESKTOP }]);
  });

  it('close() stops listening and drops held hooks; a throwing listener does not stop the others', () => {
    const { lifecycle, posted, hook, unsubscribed } = setup();
    const seen: string[] = [];
    lifecycle.on('stop', () => {
      throw new Error('boom');
    });
    lifecycle.on('stop', () => void seen.push('second'));
    hook('stop');
    expect(seen).toEqual(['second']);
    lifecycle.close();
    expect(unsubscribed()).toBe(true);
    hook('bootstrap');
    lifecycle.ready();
    expect(posted).toEqual([]);
  });

  it('property: any message data from anywhere never throws, and only well-formed host hooks count', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            data: fc.oneof(
              fc.anything(),
              fc.record({
                purecloudEventType: fc.constantFrom('appLifecycleHook', 'x'),
                hook: fc.constantFrom('bootstrap', 'focus', 'blur', 'stop', 'other'),
              }),
            ),
            fromHost: fc.boolean(),
            trusted: fc.boolean(),
          }),
        ),
        (events) => {
          const { lifecycle, send, host } = setup();
          let expected = 0;
          for (const e of events) {
            send({
              data: e.data,
              origin: e.trusted ? DESKTOP : 'https://other.example',
              source: e.fromHost ? host : null,
            });
            const d = e.data as { purecloudEventType?: unknown; hook?: unknown } | null;
            const wellFormed =
              typeof d === 'object' &&
              d !== null &&
              d.purecloudEventType === 'appLifecycleHook' &&
              ['bootstrap', 'focus', 'blur', 'stop'].includes(d.hook as ClientAppLifecycleHook);
            if (wellFormed && e.fromHost && e.trusted) expected++;
          }
          expect(lifecycle.received).toHaveLength(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
