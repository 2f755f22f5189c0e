import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM_PATH, ensureChromium, INSTALL_COMMAND } from '../src/ensure-chromium.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../src/ensure-chromium.mjs', import.meta.url));
const VITEST = fileURLToPath(new URL('../../../node_modules/.bin/vitest', import.meta.url));

/** A machine where Chromium appears only once `apt-get install` ran (when `installs`). */
function machine(options: { root: boolean; apt?: boolean; sudo?: boolean; installs?: boolean }) {
  const ran: string[][] = [];
  const logged: string[] = [];
  let installed = false;
  return {
    ran,
    logged,
    deps: {
      isRoot: options.root,
      isExecutable: (path: string) => installed && path === DEFAULT_CHROMIUM_PATH,
      onPath: (command: string) =>
        command === 'apt-get' ? (options.apt ?? true) : command === 'sudo' ? (options.sudo ?? true) : false,
      run: (argv: string[]) => {
        ran.push(argv);
        if (argv.includes('install')) installed = options.installs ?? true;
        return true;
      },
      log: (line: string) => void logged.push(line),
    },
  };
}

function runNode(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(args[0]!, args.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const oneLine = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

describe('ensureChromium: the browser is there, installed when allowed, or one line says how', () => {
  it('installs with apt-get (update, then install -y chromium) as root on Debian, unless KAA_INSTALL_BROWSER=0', () => {
    const m = machine({ root: true });
    expect(ensureChromium({ env: {}, ...m.deps })).toEqual({ ok: true, path: DEFAULT_CHROMIUM_PATH, installed: true });
    expect(m.ran).toEqual([
      ['apt-get', 'update', '-qq'],
      ['apt-get', 'install', '-y', '-qq', 'chromium'],
    ]);
    expect(m.logged).toHaveLength(1);
    const off = machine({ root: true });
    const r = ensureChromium({ env: { KAA_INSTALL_BROWSER: '0' }, ...off.deps });
    expect(r).toMatchObject({ ok: false });
    expect(off.ran).toEqual([]);
  });

  it('as another user: one line naming the command, nothing run; KAA_INSTALL_BROWSER=1 uses sudo -n', () => {
    const m = machine({ root: false });
    const r = ensureChromium({ env: {}, ...m.deps });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(oneLine(r.message)).toHaveLength(1);
      expect(r.message).toContain(INSTALL_COMMAND);
      expect(r.message).toContain(DEFAULT_CHROMIUM_PATH);
    }
    expect(m.ran).toEqual([]);
    const opted = machine({ root: false });
    expect(ensureChromium({ env: { KAA_INSTALL_BROWSER: '1' }, ...opted.deps })).toMatchObject({
      ok: true,
      installed: true,
    });
    expect(opted.ran.map((a) => a.slice(0, 3))).toEqual([
      ['sudo', '-n', 'apt-get'],
      ['sudo', '-n', 'apt-get'],
    ]);
  });

  it('no apt-get, a failed install, or a KAA_CHROMIUM_PATH elsewhere: no install (or a failed one) and the one line', () => {
    const noApt = machine({ root: true, apt: false });
    expect(ensureChromium({ env: {}, ...noApt.deps })).toMatchObject({ ok: false });
    expect(noApt.ran).toEqual([]);
    const failing = machine({ root: true, installs: false });
    const r = ensureChromium({ env: {}, ...failing.deps });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(INSTALL_COMMAND);
    const custom = machine({ root: true });
    const c = ensureChromium({ env: { KAA_CHROMIUM_PATH: '/opt/nowhere/chromium' }, ...custom.deps });
    expect(custom.ran).toEqual([]);
    expect(c).toMatchObject({ ok: false, path: '/opt/nowhere/chromium' });
    if (!c.ok) expect(c.message).toContain('KAA_CHROMIUM_PATH');
  });
});

describe('a missing browser stops the run at once, before any browser suite', () => {
  const missing = { KAA_CHROMIUM_PATH: '/nonexistent/kaa-test/chromium', KAA_INSTALL_BROWSER: '0' };

  it("pnpm test's first step exits 1 with one line naming the command, within seconds", async () => {
    const r = await runNode([process.execPath, SCRIPT], missing);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(INSTALL_COMMAND);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('vitest on an e2e file stops in its globalSetup with that line: no suite, no hook, no test ran', async () => {
    const r = await runNode(
      [VITEST, 'run', '--project', 'e2e', '--reporter=default', 'packages/genesys-adapter/test/auth.e2e.test.ts'],
      missing,
    );
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([expect.stringContaining(INSTALL_COMMAND)]);
    expect(r.stdout).not.toContain('auth.e2e.test.ts');
    expect(r.stdout).not.toMatch(/Test Files|Tests\s+\d/);
    // vitest's own start-up is most of it (about 5 s here); a suite waiting on the browser would take minutes
    expect(r.ms).toBeLessThan(30_000);
  }, 60_000);
});
