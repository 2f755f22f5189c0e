import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BROKER_PATHS,
  BrokerEventsRequestSchema,
  BrokerLaunchRequestSchema,
  BrokerLaunchResponseSchema,
  BrokerTranscriptionRequestSchema,
  KaaError,
  brokerError,
  brokerUrlOf,
  parseSettings,
} from '@kaa/core';

describe('brokerUrlOf (settings tokens.*)', () => {
  it('auto with a URL and server mean the broker; browser, or auto without a URL, mean none', () => {
    expect(brokerUrlOf(parseSettings({ tokens: { serverUrl: 'https://broker.example.com' } }).tokens)).toBe(
      'https://broker.example.com',
    );
    expect(
      brokerUrlOf(parseSettings({ tokens: { minter: 'server', serverUrl: 'https://broker.example.com' } }).tokens),
    ).toBe('https://broker.example.com');
    expect(
      brokerUrlOf(parseSettings({ tokens: { minter: 'browser', serverUrl: 'https://broker.example.com' } }).tokens),
    ).toBeUndefined();
    expect(brokerUrlOf(parseSettings({}).tokens)).toBeUndefined();
  });
});

describe('the wire contract', () => {
  it('paths encode the conversation id', () => {
    expect(BROKER_PATHS.events('a/b')).toBe('/v1/conversations/a%2Fb/events');
  });

  it('bodies are strict: unknown keys, bad ids, pause without handover are refused', () => {
    expect(BrokerLaunchRequestSchema.safeParse({ conversationId: 'c1', environment: 'prod-euw1' }).success).toBe(true);
    expect(
      BrokerLaunchRequestSchema.safeParse({ conversationId: 'c1', environment: 'prod-euw1', token: 'x' }).success,
    ).toBe(false);
    expect(BrokerLaunchRequestSchema.safeParse({ conversationId: '../c1', environment: 'prod-euw1' }).success).toBe(
      false,
    );
    expect(BrokerTranscriptionRequestSchema.safeParse({ environment: 'e', action: 'pause' }).success).toBe(false);
    expect(
      BrokerTranscriptionRequestSchema.safeParse({ environment: 'e', action: 'pause', handover: false }).success,
    ).toBe(true);
    expect(BrokerTranscriptionRequestSchema.safeParse({ environment: 'e', action: 'end' }).success).toBe(true);
    expect(
      BrokerTranscriptionRequestSchema.safeParse({ environment: 'e', action: 'resume', handover: true }).success,
    ).toBe(false);
    expect(BrokerEventsRequestSchema.safeParse({ environment: 'e', events: [] }).success).toBe(false);
  });

  it('a launch answer without the widget token is refused', () => {
    expect(
      BrokerLaunchResponseSchema.safeParse({
        widget: { url: 'u', isCall: true, missingSecureKeys: [], customData: {}, expiresAt: 1 },
      }).success,
    ).toBe(false);
  });
});

describe('brokerError', () => {
  it('keeps the coded error of a broker body and names the status and broker', () => {
    const e = brokerError(
      422,
      JSON.stringify({
        error: { code: 'E_QUEUE_NOT_MAPPED', message: 'No row for BETA.', details: { queue: 'BETA' } },
      }),
      'https://b.example.com/v1/launch',
    );
    expect(e.code).toBe('E_QUEUE_NOT_MAPPED');
    expect(e.message).toBe('No row for BETA.');
    expect(e.details).toMatchObject({ queue: 'BETA', status: 422, broker: 'https://b.example.com/v1/launch' });
  });

  it("a body that is not the broker's (a proxy page) is named by its status", () => {
    expect(brokerError(502, '<html>Bad gateway</html>', 'u').code).toBe('E_HTTP_SERVER');
    expect(brokerError(401, '', 'u').code).toBe('E_HTTP_UNAUTHORIZED');
    expect(brokerError(200, '{"error":{"code":"E_NOT_A_CODE","message":"x"}}', 'u').code).toBe('E_HTTP_BAD_REQUEST');
  });

  it('names each status it cannot read a body for, with what to check and where', () => {
    const codes = [401, 403, 404, 429, 499, 500, 503].map((status) => brokerError(status, 'not json', 'u').code);
    expect(codes).toEqual([
      'E_HTTP_UNAUTHORIZED',
      'E_HTTP_FORBIDDEN',
      'E_HTTP_NOT_FOUND',
      'E_RATE_LIMITED',
      'E_HTTP_BAD_REQUEST',
      'E_HTTP_SERVER',
      'E_HTTP_SERVER',
    ]);
    const e = brokerError(502, '', 'https://b.example.com/v1/launch');
    expect(e.message).toBe(
      'The token broker at https://b.example.com/v1/launch answered HTTP 502 without a kaa error body. Check that tokens.serverUrl points at the broker (not a proxy or login page) and that the broker is running.',
    );
    expect(e.details).toEqual({ status: 502, broker: 'https://b.example.com/v1/launch' });
  });

  it('property: any status and body give a KaaError, never a throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ error: v })),
        ),
        (status, body) => {
          expect(brokerError(status, body, 'https://b.example.com')).toBeInstanceOf(KaaError);
        },
      ),
    );
  });
});
