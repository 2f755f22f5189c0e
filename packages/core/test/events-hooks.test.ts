import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KaaError,
  buildControlTranscriptionRequest,
  buildHooksRequest,
  createHooksLifecycle,
  diffConversation,
  holdSinkActionFor,
} from '@kaa/core';
import type { HooksEvent, LifecycleEvent, TransferType } from '@kaa/core';

const base = { conversationId: 'c1', botId: 'st-123', agent: { id: 'me', name: 'Ann Agent' } };
const t = (transferType: TransferType, transition: 'entry' | 'exit'): LifecycleEvent => ({
  kind: 'transfer',
  transferType,
  transition,
  participantId: 'p',
});
const label = (events: readonly HooksEvent[]): string[] =>
  events.map((e) => (e.name === 'INTERNAL_TRANSFER_EVENT' ? `${e.transfertype}/${e.transition}` : e.name));

function run(events: readonly LifecycleEvent[], options = {}): string[] {
  const lifecycle = createHooksLifecycle({ ...base, ...options });
  return events.flatMap((e) => label(lifecycle.apply(e)));
}

describe('createHooksLifecycle', () => {
  it('normal call: NA/entry … NA/exit, summary, END', () => {
    expect(
      run(
        [
          t('NA', 'entry'),
          { kind: 'held', participantId: 'p' },
          { kind: 'resumed', participantId: 'p' },
          { kind: 'ended' },
        ],
        { summary: { language: 'English', locale: 'en' } },
      ),
    ).toEqual(['NA/entry', 'NA/exit', 'TRIGGER_SUMMARY_EVENT', 'END_OF_CONVERSATION']);
  });

  it('builds full event bodies (docs/kore-protocol.md#hooks-events)', () => {
    const lifecycle = createHooksLifecycle({
      ...base,
      experience: 'chat',
      language: 'en',
      agent: { ...base.agent, customFields: { queueName: 'ALPHAINC_SALES' } },
    });
    const participant = {
      identity: 'me',
      name: 'Ann Agent',
      type: 'agent',
      customFields: { queueName: 'ALPHAINC_SALES' },
    };
    expect(lifecycle.apply(t('NA', 'entry'))).toEqual([
      {
        name: 'INTERNAL_TRANSFER_EVENT',
        transfertype: 'NA',
        transition: 'entry',
        isExtAD: true,
        language: 'en',
        experience: 'chat',
        participant,
      },
    ]);
    expect(lifecycle.apply({ kind: 'ended' })).toEqual([
      {
        name: 'INTERNAL_TRANSFER_EVENT',
        transfertype: 'NA',
        transition: 'exit',
        isExtAD: true,
        language: 'en',
        experience: 'chat',
        participant,
      },
      { name: 'END_OF_CONVERSATION', reason: 'agent_initiated', language: 'en', experience: 'chat', participant },
    ]);
    expect(lifecycle.state()).toEqual({ phase: 'done', endSent: true });
  });

  it('voice call answered → hold → resume → cold transfer out, driven by diffConversation', () => {
    const c = (p: Record<string, unknown>) => ({
      id: 'c1',
      participants: [
        { id: 'cust', purpose: 'customer', state: 'connected' },
        { id: 'a1', purpose: 'agent', user: { id: 'me' }, ...p },
      ],
    });
    const snapshots = [
      c({ state: 'alerting' }),
      c({ state: 'connected' }),
      c({ state: 'connected', held: true }),
      c({ state: 'connected', held: false }),
      c({ state: 'disconnected', disconnectType: 'transfer' }),
    ];
    const lifecycle = createHooksLifecycle(base);
    const hooks: string[] = [];
    const sink: unknown[] = [];
    let previous: unknown;
    for (const snapshot of snapshots) {
      for (const e of diffConversation(previous, snapshot, 'me')) {
        hooks.push(...label(lifecycle.apply(e)));
        const action = holdSinkActionFor(e);
        if (action) sink.push(action);
      }
      previous = snapshot;
    }
    expect(hooks).toEqual(['NA/entry', 'cold/exit']);
    expect(sink).toEqual([
      { action: 'pause', handover: false },
      { action: 'resume' },
      { action: 'pause', handover: true },
    ]);
    // the conversation ending later belongs to the receiving agent's instance (docs/assumptions.md#who-sends-end-of-conversation)
    expect(label(lifecycle.apply({ kind: 'ended' }))).toEqual([]);
  });

  it('warm transfer: each instance reports its own agent', () => {
    expect(
      run([
        t('NA', 'entry'),
        { kind: 'agentJoined', participantId: 'a2', consult: true },
        { kind: 'agentLeft', participantId: 'a2' },
        t('NA', 'exit'),
        { kind: 'ended' },
      ]),
    ).toEqual(['NA/entry', 'NA/exit', 'END_OF_CONVERSATION']);
    expect(run([t('warm', 'entry'), t('warm', 'exit'), { kind: 'ended' }])).toEqual(['warm/entry', 'warm/exit']);
  });

  it('redial: leading NA/exit only when none was sent for the dropped leg (redialLeadingExit auto, docs/assumptions.md#hooks-event-order-for-transfers-and-redial)', () => {
    expect(run([t('NA', 'entry'), t('NA', 'exit'), t('redial', 'entry'), { kind: 'ended' }])).toEqual([
      'NA/entry',
      'NA/exit',
      'redial/entry',
      'NA/exit',
      'END_OF_CONVERSATION',
    ]);
    expect(run([t('NA', 'entry'), t('redial', 'entry'), { kind: 'ended' }])).toEqual([
      'NA/entry',
      'NA/exit',
      'redial/entry',
      'NA/exit',
      'END_OF_CONVERSATION',
    ]);
    expect(run([t('NA', 'entry'), t('redial', 'entry')], { redialLeadingExit: 'never' })).toEqual([
      'NA/entry',
      'redial/entry',
    ]);
    expect(run([t('NA', 'entry'), t('cold', 'exit'), t('redial', 'entry')], { redialLeadingExit: 'always' })).toEqual([
      'NA/entry',
      'cold/exit',
      'NA/exit',
      'redial/entry',
    ]);
    expect(run([t('redial', 'entry'), { kind: 'ended' }])).toEqual(['redial/entry', 'NA/exit', 'END_OF_CONVERSATION']); // callback, no prior conversation
  });

  it('tolerates reality: duplicate entries/exits, cold exit before entry (docs/assumptions.md#hooks-event-order-for-transfers-and-redial), disconnect without exit', () => {
    expect(run([t('NA', 'entry'), t('NA', 'entry'), t('cold', 'exit'), t('cold', 'exit')])).toEqual([
      'NA/entry',
      'cold/exit',
    ]);
    expect(run([t('cold', 'exit'), t('cold', 'entry')])).toEqual(['cold/exit', 'cold/entry']);
    expect(run([t('NA', 'entry'), { kind: 'disconnected', participantId: 'p' }, { kind: 'ended' }])).toEqual([
      'NA/entry',
      'NA/exit',
      'END_OF_CONVERSATION',
    ]);
  });

  it('refuses an impossible exit with E_EVENT_ORDER and keeps its state', () => {
    for (const type of ['NA', 'warm', 'redial'] as const) {
      const lifecycle = createHooksLifecycle(base);
      try {
        lifecycle.apply(t(type, 'exit'));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(KaaError);
        expect((e as KaaError).code).toBe('E_EVENT_ORDER');
        expect((e as KaaError).message).toContain(`"${type}/exit"`);
      }
      expect(lifecycle.state()).toEqual({ phase: 'idle', endSent: false });
      expect(label(lifecycle.apply(t('NA', 'entry')))).toEqual(['NA/entry']);
    }
  });

  it('restores from a persisted state (page reload) without repeating the entry', () => {
    const first = createHooksLifecycle(base);
    first.apply(t('NA', 'entry'));
    const again = createHooksLifecycle({ ...base, restore: first.state() });
    expect(label(again.apply(t('NA', 'entry')))).toEqual([]);
    expect(label(again.apply({ kind: 'ended' }))).toEqual(['NA/exit', 'END_OF_CONVERSATION']);
    const done = createHooksLifecycle({ ...base, restore: again.state() });
    expect(label(done.apply({ kind: 'ended' }))).toEqual([]);
  });

  it('rejects bad options and non-events with E_EVENT_INVALID', () => {
    expect(() => createHooksLifecycle({ ...base, botId: '' })).toThrow(/options\.botId/);
    const lifecycle = createHooksLifecycle(base);
    expect(() =>
      lifecycle.apply({ kind: 'transfer', transferType: 'COLD', transition: 'entry' } as unknown as LifecycleEvent),
    ).toThrow(KaaError);
    expect(() => lifecycle.apply(null as unknown as LifecycleEvent)).toThrow(KaaError);
  });

  const lifecycleEvent: fc.Arbitrary<LifecycleEvent> = fc.oneof(
    fc.record({
      kind: fc.constant('transfer' as const),
      transferType: fc.constantFrom<TransferType>('NA', 'cold', 'warm', 'redial'),
      transition: fc.constantFrom('entry' as const, 'exit' as const),
      participantId: fc.constant('p'),
    }),
    fc.constantFrom<LifecycleEvent>(
      { kind: 'held', participantId: 'p' },
      { kind: 'resumed', participantId: 'p' },
      { kind: 'disconnected', participantId: 'p' },
      { kind: 'ended' },
      { kind: 'agentJoined', participantId: 'q', consult: false },
      { kind: 'agentLeft', participantId: 'q' },
      { kind: 'messageAdded', messages: [] },
    ),
  );

  it('property: never two END_OF_CONVERSATION, nothing after it, an exit never precedes an entry except cold', () => {
    fc.assert(
      fc.property(
        fc.array(lifecycleEvent, { maxLength: 40 }),
        fc.constantFrom('auto', 'always', 'never') as fc.Arbitrary<'auto' | 'always' | 'never'>,
        fc.boolean(),
        (events, redialLeadingExit, summary) => {
          const lifecycle = createHooksLifecycle({
            ...base,
            redialLeadingExit,
            ...(summary ? { summary: { language: 'English', locale: 'en' } } : {}),
          });
          const sent: string[] = [];
          for (const e of events) {
            try {
              sent.push(...label(lifecycle.apply(e)));
            } catch (error) {
              if (!(error instanceof KaaError) || error.code !== 'E_EVENT_ORDER') return false;
            }
          }
          const ends = sent.filter((x) => x === 'END_OF_CONVERSATION').length;
          if (ends > 1) return false;
          if (ends === 1 && sent.at(-1) !== 'END_OF_CONVERSATION') return false;
          if (
            ends === 1 &&
            !sent
              .slice(0, -1)
              .filter((x) => x !== 'TRIGGER_SUMMARY_EVENT')
              .at(-1)
              ?.endsWith('/exit')
          )
            return false;
          const firstEntry = sent.findIndex((x) => x.endsWith('/entry'));
          const firstExit = sent.findIndex((x) => x.endsWith('/exit'));
          if (firstExit >= 0 && (firstEntry < 0 || firstExit < firstEntry) && sent[firstExit] !== 'cold/exit')
            return false;
          return true;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: an entered agent that never transfers away gets exactly one END when the conversation ends', () => {
    const noTransferAway = lifecycleEvent.filter(
      (e) =>
        !(e.kind === 'transfer' && e.transition === 'exit' && (e.transferType === 'cold' || e.transferType === 'warm')),
    );
    fc.assert(
      fc.property(fc.array(noTransferAway, { maxLength: 30 }), (middle) => {
        const lifecycle = createHooksLifecycle(base);
        const sent = [t('NA', 'entry'), ...middle, { kind: 'ended' } as const].flatMap((e) =>
          label(lifecycle.apply(e)),
        );
        return sent.filter((x) => x === 'END_OF_CONVERSATION').length === 1;
      }),
      { numRuns: 500 },
    );
  });
});

describe('buildHooksRequest', () => {
  const lifecycle = createHooksLifecycle(base);
  const events = [...lifecycle.apply(t('NA', 'entry'))];
  const cold = createHooksLifecycle(base);
  cold.apply(t('NA', 'entry'));
  const coldExit = cold.apply(t('cold', 'exit'));

  it('uses the documented defaults (docs/assumptions.md#hooks-path-prefix, docs/assumptions.md#hooks-auth-header, docs/assumptions.md#hooks-field-formats)', () => {
    const req = buildHooksRequest({ botId: 'st-123', conversationId: 'c1', events: coldExit });
    expect(req).toEqual({
      method: 'POST',
      path: '/agentassist/api/v1/hooks/st-123',
      headers: { 'content-type': 'application/json' },
      authHeader: { name: 'auth' },
      body: {
        conversationId: 'c1',
        botId: 'st-123',
        events: [{ ...coldExit[0], transfertype: 'cold', isExtAD: true }],
      },
    });
  });

  it('applies the configured variants', () => {
    const req = buildHooksRequest(
      { botId: 'st-123', conversationId: 'c1', events: [...events, ...coldExit] },
      { pathPrefix: '/agentai/api/v1/hooks/', authHeader: 'token', transferTypeCase: 'upper', isExtADAsString: true },
    );
    expect(req.path).toBe('/agentai/api/v1/hooks/st-123');
    expect(req.authHeader).toEqual({ name: 'token' });
    expect((req.body.events as Array<Record<string, unknown>>).map((e) => [e.transfertype, e.isExtAD])).toEqual([
      ['NA', 'true'],
      ['COLD', 'true'],
    ]);
  });

  it('carries message-propagation fields when given', () => {
    const message = {
      query: 'hi',
      agentId: 'me',
      experience: 'chat',
      author: { type: 'USER' },
      source: 'genesys',
      sendUserMessage: true,
      sendAgentMessage: false,
      language: 'en',
    } as const;
    expect(buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events: [], message }).body).toEqual({
      conversationId: 'c1',
      botId: 'st-1',
      ...message,
      events: [],
    });
  });

  it('rejects bad config and empty ids with coded errors', () => {
    expect(() =>
      buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events }, { pathPrefix: 'agentassist' }),
    ).toThrow(/kore\.hooks\.pathPrefix/);
    expect(() =>
      buildHooksRequest({ botId: 'st-1', conversationId: 'c1', events }, { authHeader: 'bad header' }),
    ).toThrow(/kore\.hooks\.authHeader/);
    try {
      buildHooksRequest({ botId: ' ', conversationId: 'c1', events });
      expect.unreachable();
    } catch (e) {
      expect((e as KaaError).code).toBe('E_EVENT_INVALID');
    }
  });
});

describe('buildControlTranscriptionRequest and holdSinkActionFor', () => {
  it('builds the documented path and body (docs/kore-protocol.md#hold-resume-and-control-transcription)', () => {
    expect(
      buildControlTranscriptionRequest({
        botId: 'st-1',
        conversationId: 'c 1&x',
        action: 'pause',
        agentId: 'me',
        handover: false,
      }),
    ).toEqual({
      method: 'POST',
      path: '/api/1.1/public/bot/st-1/control/transcription?conversationId=c%201%26x',
      headers: { 'content-type': 'application/json' },
      authHeader: { name: 'auth' },
      body: { action: 'pause', agentId: 'me', handover: false },
    });
    expect(
      buildControlTranscriptionRequest({
        botId: 'st-1',
        conversationId: 'c1',
        action: 'resume',
        agentId: 'me',
        handover: true,
      }).body,
    ).toEqual({ action: 'resume', agentId: 'me' });
  });

  it('requires handover with pause, and known actions and ids', () => {
    expect(() =>
      buildControlTranscriptionRequest({ botId: 'st-1', conversationId: 'c1', action: 'pause', agentId: 'me' }),
    ).toThrow(/handover/);
    expect(() =>
      buildControlTranscriptionRequest({ botId: 'st-1', conversationId: 'c1', action: 'stop' as never, agentId: 'me' }),
    ).toThrow(KaaError);
    expect(() =>
      buildControlTranscriptionRequest({ botId: 'st-1', conversationId: '', action: 'end', agentId: 'me' }),
    ).toThrow(/conversationId/);
  });

  it('maps lifecycle events per the hold-sink table (docs/kore-protocol.md#hold-resume-and-control-transcription)', () => {
    expect(holdSinkActionFor({ kind: 'held', participantId: 'p' })).toEqual({ action: 'pause', handover: false });
    expect(holdSinkActionFor({ kind: 'resumed', participantId: 'p' })).toEqual({ action: 'resume' });
    expect(holdSinkActionFor(t('cold', 'exit'))).toEqual({ action: 'pause', handover: true });
    expect(holdSinkActionFor({ kind: 'ended' })).toEqual({ action: 'end' });
    expect(holdSinkActionFor(t('warm', 'exit'))).toBeUndefined();
    expect(holdSinkActionFor(t('NA', 'entry'))).toBeUndefined();
    expect(holdSinkActionFor({ kind: 'disconnected', participantId: 'p' })).toBeUndefined();
  });
});
