import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

function run(
  args: string[],
  env: Record<string, string>,
): {
  child: ReturnType<typeof spawn>;
  firstLine: Promise<string>;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(TSX, ['--tsconfig', '../../tsconfig.json', 'src/cli.ts', ...args], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', () => reject(new Error(`exited early: ${err}`)));
  });
  firstLine.catch(() => undefined); // observed only by callers that wait for output
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exited, stderr: () => err };
}

describe('the sandbox CLI (pnpm --filter @kaa/sandbox start)', () => {
  it('starts on KAA_SANDBOX_PORT_BASE ports, prints every origin and the desktop URL, and frees the ports on SIGTERM', async () => {
    const base = 20_000 + Math.floor(Math.random() * 2000) * 5;
    const { child, exited } = run([], { KAA_SANDBOX_PORT_BASE: String(base) });
    let text = '';
    child.stdout!.on('data', (d) => (text += String(d)));
    const start = Date.now();
    while (!text.includes('Press Ctrl+C') && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(text).toContain(`Genesys login  http://127.0.0.1:${base}`);
    expect(text).toContain(`Genesys API    http://127.0.0.1:${base + 1}`);
    expect(text).toContain(`Agent desktop  http://127.0.0.1:${base + 2}`);
    expect(text).toContain(`Kore platform  http://127.0.0.1:${base + 3}`);
    expect(text).toMatch(new RegExp(`Desktop URL\\s+http://127\\.0\\.0\\.1:${base + 2}/`));
    const state = (await (await fetch(`http://127.0.0.1:${base + 1}/sandbox/v1/state`)).json()) as {
      conversations: unknown[];
    };
    expect(state.conversations).toHaveLength(6);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const p of [base, base + 1, base + 2, base + 3]) expect(await refused(p)).toBe(true);
  }, 40_000);

  it('--json prints one machine-readable line; a bad KAA_SANDBOX_PORT_BASE fails with E_CONFIG_INVALID', async () => {
    const ok = run(['--json'], {});
    const line = JSON.parse((await ok.firstLine).split('\n')[0]!) as {
      origins: Record<string, string>;
      environment: { name: string };
    };
    expect(line.environment.name).toBe('sandbox');
    expect(Object.keys(line.origins)).toEqual(expect.arrayContaining(['login', 'api', 'apps', 'kore']));
    ok.child.kill('SIGTERM');
    expect(await ok.exited).toBe(0);
    const bad = run([], { KAA_SANDBOX_PORT_BASE: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain('E_CONFIG_INVALID');
    expect(bad.stderr()).toContain('KAA_SANDBOX_PORT_BASE');
  }, 40_000);

  it("--widget-url frames an admin's own Interaction Widget URL (printed without its query); bad values and unknown flags are E_CONFIG_INVALID", async () => {
    const secret = 'planted-x-metadata-token';
    const template = `https://kaa.example.com/koreaiaa-genesys/?conversationid={{gcConversationId}}&environment={{gcHostOrigin}}&x_metadata=${secret}`;
    const ok = run(['--widget-url', template], {});
    try {
      let text = '';
      ok.child.stdout!.on('data', (d) => (text += String(d)));
      const start = Date.now();
      while (!text.includes('Press Ctrl+C') && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 50));
      expect(text).toMatch(/Desktop frames\s+https:\/\/kaa\.example\.com\/koreaiaa-genesys\/\s+\(--widget-url\)/);
      expect(text).not.toContain(secret);
      const desktop = /Desktop URL\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
      const config = (await (await fetch(`${desktop}desktop/config.json`)).json()) as { widgetUrlTemplate: string };
      expect(config.widgetUrlTemplate).toBe(template);
    } finally {
      ok.child.kill('SIGTERM'); // also when an expectation failed: no sandbox is left running
    }
    expect(await ok.exited).toBe(0);

    for (const [args, env, names] of [
      [
        ['--widget-url', `http://kaa.example.com/?conversationid={{gcConversationId}}&x_metadata=${secret}`],
        {},
        ['--widget-url', 'http://kaa.example.com'],
      ],
      [['--widget-url', 'kaa.example.com/koreaiaa-genesys/'], {}, ['--widget-url', 'absolute URL']],
      [
        [],
        { KAA_SANDBOX_WIDGET_URL: `ftp://kaa.example.com/?x_metadata=${secret}` },
        ['KAA_SANDBOX_WIDGET_URL', 'ftp://kaa.example.com'],
      ],
      [['--widget-ulr', 'https://kaa.example.com/'], {}, ['--widget-ulr', 'Usage: pnpm sandbox']],
    ] as const) {
      const bad = run([...args], { ...env });
      expect(await bad.exited).toBe(1);
      expect(bad.stderr()).toMatch(/^E_CONFIG_INVALID: /);
      for (const name of names) expect(bad.stderr()).toContain(name);
      expect(bad.stderr()).not.toContain(secret);
    }
  }, 60_000);

  it('after close() the process ends by itself: no server, socket, interval or pending transcript keeps it alive', async () => {
    const script = `(async () => {
      process.on('exit', () => console.log('EXIT_AFTER_CLOSE_MS=' + (Date.now() - globalThis.closedAt)));
      const { startSandbox, CONVERSATIONS } = await import('./src/index.ts');
      const { default: WebSocket } = await import('ws');
      const s = await startSandbox({ genesys: { heartbeatIntervalMs: 50 } });
      const token = s.genesys.issueToken();
      const ch = await (await fetch(s.origins.api + '/api/v2/notifications/channels', { method: 'POST', headers: { authorization: 'Bearer ' + token } })).json();
      const ws = new WebSocket(ch.connectUri);
      await new Promise((r) => ws.once('open', r));
      s.genesys.faults({ socketClosing: true });
      void s.genesys.transcribe(CONVERSATIONS.voiceAlpha, undefined, 1000);
      await new Promise((r) => setTimeout(r, 120));
      await s.close();
      globalThis.closedAt = Date.now();
    })()`;
    const child = spawn(TSX, ['-e', script], { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const ms = Number(/EXIT_AFTER_CLOSE_MS=(\d+)/.exec(out)?.[1]);
    expect(ms).toBeLessThan(1000);
  }, 40_000);
});
