import type { Logger, Sleep } from '@kaa/core';

/** A manual clock plus a sleep that advances it, recording every wait. */
export function fakeTime(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let t = start;
  const waits: number[] = [];
  const now = () => t;
  const sleep: Sleep = async (ms) => {
    waits.push(ms);
    t += ms;
  };
  return { now, sleep, waits, advance: (ms: number) => void (t += ms) };
}

/** A logger that keeps every line (message and data) as text. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m, d) => void lines.push(`debug ${m} ${JSON.stringify(d ?? {})}`),
    info: (m, d) => void lines.push(`info ${m} ${JSON.stringify(d ?? {})}`),
    warn: (m, d) => void lines.push(`warn ${m} ${JSON.stringify(d ?? {})}`),
    error: (m, d) => void lines.push(`error ${m} ${JSON.stringify(d ?? {})}`),
  };
}

/** The guide's example bot row (docs/kore-protocol.md#bot-row-schema) with a numbered QueueIdentifier. */
export function botRow(i: number): Record<string, unknown> {
  return {
    QueueIdentifier: i === 0 ? 'ALPHAINC' : i === 1 ? 'Kore, KoreSupport' : `Q${i}`,
    BotId: `st-${i}`,
    ClientId: `cs-${i}`,
    ClientSecret: `row-secret-${i}`,
    AgentAssistWidgetURL: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
    AudiohookEnabled: 'true',
    JWEPublicKey: '',
    Algorithm: 'HS256',
    sys_Id: `sys-${i}`,
    _id: `id-${i}`,
  };
}
