import { describe, expect, it } from 'vitest';
import { errorOf } from '@kaa/test-support';
import {
  buildControlTranscriptionRequest,
  buildHooksRequest,
  createHooksLifecycle,
  holdSinkActionFor,
} from '@kaa/core';
import type { HooksEvent, HooksLifecycleOptions, LifecycleEvent, TransferType } from '@kaa/core';

/**
 * The hooks lifecycle, the hooks request and the Control Transcription request at their edges: every phase ×
 * event the state machine can meet, what a restored state remembers, the exact bodies and errors.
 */

const base = { conversationId: 'c1', botId: 'st-123', agent: { id: 'me', name: 'Ann Agent' } };
const t = (transferType: TransferType, transition: 'entry' | 'exit'): LifecycleEvent => ({
  kind: 'transfer',
  transferType,
  transition,
  participantId: 'p',
});
const ended: LifecycleEvent = { kind: 'ended' };
const disconnected: LifecycleEvent = { kind: 'disconnected', participantId: 'p' };
const label = (events: readonly HooksEvent[]): string[] =>
  events.map((e) => (e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name));

/** Feeds `events` and returns, per event, what it sent, then the final state. */
function run(events: readonly LifecycleEvent[], options: Partial<HooksLifecycleOptions> = {}) {
  const lifecycle = createHooksLifecycle({ ...base, ...options });
  const sent = events.map((e) => label(lifecycle.apply(e)).join(' '));
  return { sent, state: lifecycle.state() };
}

describe('createHooksLifecycle: phases', () => {
  it.each<[string, LifecycleEvent[], string[], object]>([
    ['entry', [t('cold', 'entry')], ['cold/entry'], { phase: 'in', endSent: false }],
    [
      'a second entry while in',
      [t('NA', 'entry'), t('warm', 'entry')],
      ['NA/entry', ''],
      { phase: 'in', endSent: false },
    ],
    [
      'an entry after an exit',
      [t('NA', 'entry'), t('warm', 'exit'), t('warm', 'entry')],
      ['NA/entry', 'warm/exit', 'warm/entry'],
      { phase: 'in', endSent: false },
    ],
    [
      'an exit remembers its type',
      [t('NA', 'entry'), t('warm', 'exit')],
      ['NA/entry', 'warm/exit'],
      { phase: 'out', lastExit: 'warm', endSent: false },
    ],
    [
      'disconnected while in is an NA exit; again, nothing',
      [t('NA', 'entry'), disconnected, disconnected],
      ['NA/entry', 'NA/exit', ''],
      { phase: 'out', lastExit: 'NA', endSent: false },
    ],
    ['disconnected before any entry: nothing', [disconnected], [''], { phase: 'idle', endSent: false }],
    [
      'ended after an NA exit: END without another exit',
      [t('NA', 'entry'), t('NA', 'exit'), ended],
      ['NA/entry', 'NA/exit', 'END_OF_CONVERSATION'],
      { phase: 'done', lastExit: 'NA', endSent: true },
    ],
    [
      'ended after a redial exit: END without another exit',
      [t('redial', 'entry'), t('redial', 'exit'), ended],
      ['redial/entry', 'redial/exit', 'END_OF_CONVERSATION'],
      { phase: 'done', lastExit: 'redial', endSent: true },
    ],
    [
      'ended after a warm exit: the last agent owns the end',
      [t('NA', 'entry'), t('warm', 'exit'), ended],
      ['NA/entry', 'warm/exit', ''],
      { phase: 'done', lastExit: 'warm', endSent: false },
    ],
    ['ended before any entry: done, no END', [ended, t('NA', 'entry')], ['', ''], { phase: 'done', endSent: false }],
    [
      'nothing after END',
      [t('NA', 'entry'), ended, t('NA', 'entry'), t('cold', 'exit'), disconnected, ended],
      ['NA/entry', 'NA/exit END_OF_CONVERSATION', '', '', '', ''],
      { phase: 'done', endSent: true },
    ],
    [
      'held, resumed, agents and messages send nothing',
      [
        { kind: 'held', participantId: 'p' },
        { kind: 'resumed', participantId: 'p' },
        { kind: 'agentJoined', participantId: 'q', consult: true },
        { kind: 'agentLeft', participantId: 'q' },
        { kind: 'messageAdded', messages: [] },
      ],
      ['', '', '', '', ''],
      { phase: 'idle', endSent: false },
    ],
  ])('%s', (_, events, sent, state) => {
    expect(run(events)).toStrictEqual({ sent, state });
  });

  it.each<['auto' | 'always' | 'never' | undefined, LifecycleEvent[], string]>([
    [undefined, [t('NA', 'entry'), t('cold', 'exit')], 'redial/entry'], // the default is auto
    ['auto', [t('NA', 'entry')], 'NA/exit redial/entry'],
    ['auto', [t('NA', 'entry'), t('cold', 'exit')], 'redial/entry'],
    ['always', [t('NA', 'entry')], 'NA/exit redial/entry'],
    ['always', [t('NA', 'entry'), t('cold', 'exit')], 'NA/exit redial/entry'],
    ['always', [t('NA', 'entry'), t('NA', 'exit')], 'redial/entry'],
    ['always', [t('NA', 'entry'), t('NA', 'exit'), t('NA', 'entry')], 'NA/exit redial/entry'],
    ['never', [t('NA', 'entry'), t('NA', 'exit')], 'redial/entry'],
  ])('redialLeadingExit %s after %j sends %s', (redialLeadingExit, before, expected) => {
    const { sent, state } = run([...before, t('redial', 'entry')], redialLeadingExit ? { redialLeadingExit } : {});
    expect(sent.at(-1)).toBe(expected);
    expect(state).toStrictEqual({ phase: 'in', endSent: false });
  });
});

describe('createHooksLifecycle: restore', () => {
  it('a restored NA exit counts as the last thing sent (redialLeadingExit always)', () => {
    const restore = { phase: 'out', lastExit: 'NA', endSent: false } as const;
    expect(run([t('redial', 'entry')], { restore, redialLeadingExit: 'always' }).sent).toEqual(['redial/entry']);
    const cold = { phase: 'out', lastExit: 'cold', endSent: false } as const;
    expect(run([t('redial', 'entry')], { restore: cold, redialLeadingExit: 'always' }).sent).toEqual([
      'NA/exit redial/entry',
    ]);
  });

  it('a restored exit type decides who sends the end, and the state comes back as it was', () => {
    expect(run([ended], { restore: { phase: 'out', lastExit: 'NA', endSent: false } })).toStrictEqual({
      sent: ['END_OF_CONVERSATION'],
      state: { phase: 'done', lastExit: 'NA', endSent: true },
    });
    expect(run([], { restore: { phase: 'out', lastExit: 'cold', endSent: false } }).state).toStrictEqual({
      phase: 'out',
      lastExit: 'cold',
      endSent: false,
    });
    expect(run([ended], { restore: { phase: 'out', lastExit: 'cold', endSent: false } }).sent).toEqual(['']);
    expect(run([], { restore: { phase: 'done', endSent: true } }).state).toStrictEqual({
      phase: 'done',
      endSent: true,
    });
  });
});

describe('createHooksLifecycle: bodies', () => {
  it('leaves out language and customFields when not given; experience defaults to voice', () => {
    const lifecycle = createHooksLifecycle(base);
    const participant = { identity: 'me', name: 'Ann Agent', type: 'agent' };
    expect(lifecycle.apply(t('NA', 'entry'))).toStrictEqual([
      {
        name: 'INTERNAL_TRANSFER_EVENT',
        transfertype: 'NA',
        transition: 'entry',
        isExtAD: true,
        experience: 'voice',
        participant,
      },
    ]);
    expect(lifecycle.apply(ended)[1]).toStrictEqual({
      name: 'END_OF_CONVERSATION',
      reason: 'agent_initiated',
      experience: 'voice',
      participant,
    });
  });

  it('sends the summary with its language and locale between the exit and the end', () => {
    const lifecycle = createHooksLifecycle({ ...base, summary: { language: 'English', locale: 'en' } });
    lifecycle.apply(t('NA', 'entry'));
    const out = lifecycle.apply(ended);
    expect(label(out)).toEqual(['NA/exit', 'TRIGGER_SUMMARY_EVENT', 'END_OF_CONVERSATION']);
    expect(out[1]).toStrictEqual({
      name: 'TRIGGER_SUMMARY_EVENT',
      data: { language: 'English', locale: 'en', type: 'post' },
    });
    const none = createHooksLifecycle({ ...base, summary: false });
    none.apply(t('NA', 'entry'));
    expect(label(none.apply(ended))).toEqual(['NA/exit', 'END_OF_CONVERSATION']);
  });

  it('copies customFields, so changing the options later does not change the events', () => {
    const customFields = { agentEmail: 'a@example.com' };
    const lifecycle = createHooksLifecycle({ ...base, agent: { ...base.agent, customFields } });
    customFields.agentEmail = 'changed@example.com';
    const [event] = lifecycle.apply(t('NA', 'entry'));
    expect(event?.name === 'INTERNAL_TRANSFER_EVENT' && event.participant.customFields).toEqual({
      agentEmail: 'a@example.com',
    });
  });
});

describe('createHooksLifecycle: errors', () => {
  it('an impossible exit names the conversation, the type and the phase', () => {
    const e = errorOf(() => createHooksLifecycle(base).apply(t('warm', 'exit')));
    expect(e.code).toBe('E_EVENT_ORDER');
    expect(e.message).toBe(
      'Cannot send "warm/exit" for conversation "c1": this agent never entered it (no entry event was sent). Only a cold exit may precede the entry. Check that the page feeds diffConversation the first snapshot (previous undefined) before later ones.',
    );
    expect(e.details).toEqual({ conversationId: 'c1', transferType: 'warm', transition: 'exit', phase: 'idle' });
  });

  it('bad options name the option', () => {
    const e = errorOf(() => createHooksLifecycle({ ...base, conversationId: '' }));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(
      "The hooks lifecycle options are incomplete: options.conversationId is invalid (too_small). Pass the conversation id, the bot id (st-…) and this agent's Genesys user id and name.",
    );
    expect(e.details).toEqual({ issues: ['options.conversationId'] });
  });

  const NOT_AN_EVENT =
    'The hooks lifecycle received something that is not a lifecycle event (expected kind transfer|held|resumed|disconnected|ended|agentJoined|agentLeft|messageAdded, and for transfer a transferType NA|cold|warm|redial and a transition entry|exit). Feed it the output of diffConversation.';
  it.each<[unknown, string]>([
    [{ kind: 'bogus' }, 'bogus'],
    [{}, 'undefined'],
    [{ kind: 'transfer', transferType: 'NA', transition: 'sideways' }, 'transfer'],
    [{ kind: 'transfer', transferType: 'na', transition: 'entry' }, 'transfer'],
    [{ kind: 'transfer', transition: 'exit' }, 'transfer'],
    [7, 'number'],
    [null, 'object'],
    [undefined, 'undefined'],
    ['ended', 'string'],
  ])('refuses %j, naming its kind (%s), and keeps its state', (event, kind) => {
    const lifecycle = createHooksLifecycle(base);
    lifecycle.apply(t('NA', 'entry'));
    const e = errorOf(() => lifecycle.apply(event as LifecycleEvent));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(NOT_AN_EVENT);
    expect(e.details).toEqual({ kind });
    expect(lifecycle.state()).toStrictEqual({ phase: 'in', endSent: false });
  });

  it('accepts every kind and both transitions of every transfer type', () => {
    for (const transferType of ['NA', 'cold', 'warm', 'redial'] as const) {
      for (const transition of ['entry', 'exit'] as const) {
        const lifecycle = createHooksLifecycle(base);
        lifecycle.apply(t('NA', 'entry'));
        expect(() => lifecycle.apply(t(transferType, transition))).not.toThrow();
      }
    }
  });
});

describe('buildHooksRequest: edges', () => {
  const lifecycle = createHooksLifecycle(base);
  const entry = lifecycle.apply(t('NA', 'entry'));
  const warm = lifecycle.apply(t('warm', 'exit'));

  it('NA stays upper case in lower mode; other types follow the configured case, whatever case they came in', () => {
    const events = [...entry, ...warm, { ...warm[0], transfertype: 'COLD' } as unknown as HooksEvent];
    const types = (transferTypeCase?: 'lower' | 'upper') =>
      (
        buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events }, transferTypeCase ? { transferTypeCase } : {})
          .body.events as Array<{ transfertype: string }>
      ).map((e) => e.transfertype);
    expect(types()).toEqual(['NA', 'warm', 'cold']);
    expect(types('lower')).toEqual(['NA', 'warm', 'cold']);
    expect(types('upper')).toEqual(['NA', 'WARM', 'COLD']);
  });

  it('passes other events through untouched, and sets isExtAD only on transfers', () => {
    const end = createHooksLifecycle({ ...base, restore: { phase: 'in', endSent: false } }).apply(ended);
    const req = buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events: end }, { isExtADAsString: false });
    expect(req.body.events).toStrictEqual([{ ...end[0], isExtAD: true }, end[1]]);
    expect((req.body.events as unknown[])[1]).toBe(end[1]);
  });

  it('strips every trailing slash of the prefix and encodes the bot id', () => {
    expect(
      buildHooksRequest({ botId: 'st 1/2', conversationId: 'c1', events: [] }, { pathPrefix: '/api/v1/hooks///' }).path,
    ).toBe('/api/v1/hooks/st%201%2F2');
  });

  it.each(['', '/', 'api/v1/hooks', '/api/v1/hooks?x=1', '/api/v1/hooks#a', '/api/v1 /hooks'])(
    'refuses the prefix %j, naming kore.hooks.pathPrefix',
    (pathPrefix) => {
      const e = errorOf(() => buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events: [] }, { pathPrefix }));
      expect(e.code).toBe('E_CONFIG_INVALID');
      expect(e.message).toBe(
        `The hooks path prefix "${pathPrefix.replace(/\/+$/, '')}" is not an absolute path. Set kore.hooks.pathPrefix to a path such as "/agentassist/api/v1/hooks".`,
      );
      expect(e.details).toEqual({ key: 'kore.hooks.pathPrefix' });
    },
  );

  it.each(['', 'x-auth:', 'a b', 'tök'])('refuses the header name %j, naming kore.hooks.authHeader', (authHeader) => {
    const e = errorOf(() => buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events: [] }, { authHeader }));
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toBe(
      `"${authHeader}" is not a valid HTTP header name. Set kore.hooks.authHeader to "auth" or "token".`,
    );
    expect(e.details).toEqual({ key: 'kore.hooks.authHeader' });
  });

  it.each([
    ['botId', { botId: '', conversationId: 'c1' }, 'the bot id (st-…) from the bot record'],
    ['conversationId', { botId: 'st-1', conversationId: ' \t' }, 'the Genesys conversation id'],
    ['conversationId', { botId: 'st-1', conversationId: 5 }, 'the Genesys conversation id'],
  ])('refuses an empty %s', (field, ids, what) => {
    const e = errorOf(() => buildHooksRequest({ ...(ids as { botId: string; conversationId: string }), events: [] }));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe(
      `A hooks request needs "${field}" (${what}), and it is empty. Check the bot record and the widget URL.`,
    );
    expect(e.details).toEqual({ field });
  });
});

describe('buildControlTranscriptionRequest: edges', () => {
  const ok = { botId: 'st-1', conversationId: 'c1', agentId: 'me' };

  it.each(['botId', 'conversationId', 'agentId'] as const)('refuses an empty or blank %s, naming it', (field) => {
    for (const value of ['', '  ', undefined, 7]) {
      const e = errorOf(() => buildControlTranscriptionRequest({ ...ok, [field]: value as string, action: 'start' }));
      expect(e.code).toBe('E_EVENT_INVALID');
      expect(e.message).toBe(
        `A Control Transcription request needs "${field}", and it is empty. Check the bot record and the signed-in agent.`,
      );
      expect(e.details).toEqual({ field });
    }
  });

  it('refuses an unknown action, quoting it', () => {
    const e = errorOf(() => buildControlTranscriptionRequest({ ...ok, action: 'stop' as never }));
    expect(e.code).toBe('E_EVENT_INVALID');
    expect(e.message).toBe('Control Transcription action must be start, pause, resume or end (got "stop").');
    expect(e.details).toEqual({ field: 'action' });
  });

  it('pause needs a boolean handover; the other actions never send one', () => {
    const e = errorOf(() =>
      buildControlTranscriptionRequest({ ...ok, action: 'pause', handover: 'yes' as unknown as boolean }),
    );
    expect(e.message).toBe(
      'A Control Transcription "pause" needs "handover": true for a transfer, false for a hold. Use holdSinkActionFor to pick it.',
    );
    expect(e.details).toEqual({ field: 'handover' });
    expect(buildControlTranscriptionRequest({ ...ok, action: 'pause', handover: true }).body).toStrictEqual({
      action: 'pause',
      agentId: 'me',
      handover: true,
    });
    for (const action of ['start', 'resume', 'end'] as const) {
      expect(buildControlTranscriptionRequest({ ...ok, action, handover: false }).body).toStrictEqual({
        action,
        agentId: 'me',
      });
    }
  });

  it('encodes the bot id and takes a configured auth header', () => {
    const req = buildControlTranscriptionRequest({ ...ok, botId: 'st/1', action: 'end' }, { authHeader: 'token' });
    expect(req.path).toBe('/api/1.1/public/bot/st%2F1/control/transcription?conversationId=c1');
    expect(req.authHeader).toEqual({ name: 'token' });
    expect(req.method).toBe('POST');
    expect(req.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('holdSinkActionFor ignores entries, warm and NA exits, and everything but held/resumed/ended', () => {
    for (const e of [
      t('cold', 'entry'),
      t('NA', 'exit'),
      t('redial', 'exit'),
      { kind: 'agentJoined', participantId: 'q', consult: false },
      { kind: 'agentLeft', participantId: 'q' },
      { kind: 'messageAdded', messages: [] },
    ] as LifecycleEvent[]) {
      expect(holdSinkActionFor(e)).toBeUndefined();
    }
  });
});
