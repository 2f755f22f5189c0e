/**
 * In-process: colours only on a TTY, tables aligned, every line redacted except explicit secret output.
 */
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/io.js';
import { createOutput } from '../src/output/output.js';
import { runKaa } from '../src/cli.js';

function io(tty: boolean, env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    env,
    readFile: async () => {
      throw Object.assign(new Error('x'), { code: 'ENOENT' });
    },
    writeFile: async () => undefined,
    exists: async () => false,
    dirname: () => '.',
    resolve: (...p) => p.join('/'),
    fetch: async () => {
      throw new Error('offline');
    },
    now: () => 0,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdoutIsTty: tty,
    stderrIsTty: tty,
  };
}

describe('output', () => {
  it('colours only when stdout is a TTY and NO_COLOR is unset', () => {
    const tty = io(true);
    createOutput(tty, { json: false, secrets: () => [] }).table(
      ['A', 'B'],
      [[createOutput(tty, { json: false, secrets: () => [] }).colour.red('x'), 'y']],
    );
    expect(tty.out.join('')).toContain('\u001b[31m');
    const pipe = io(false);
    const o = createOutput(pipe, { json: false, secrets: () => [] });
    o.table(['A', 'B'], [[o.colour.red('x'), 'y']]);
    expect(pipe.out.join('')).toBe('A  B\nx  y\n');
    const noColor = io(true, { NO_COLOR: '1' });
    const n = createOutput(noColor, { json: false, secrets: () => [] });
    n.line(n.colour.green('ok'));
    expect(noColor.out.join('')).toBe('ok\n');
  });

  it('redacts known secrets and JWTs everywhere except secretLine', () => {
    const t = io(false);
    const o = createOutput(t, { json: false, secrets: () => ['my-planted-secret'] });
    o.line('a my-planted-secret b eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    o.warn('warn my-planted-secret');
    o.result({ v: 'my-planted-secret' });
    expect([...t.out, ...t.err].join('')).not.toContain('my-planted-secret');
    expect(t.out.join('')).not.toContain('eyJhbGci');
    o.secretLine('my-planted-secret');
    expect(t.out.at(-1)).toBe('my-planted-secret\n');
  });

  it('progress goes to stderr only on a TTY and not in --json mode', () => {
    const tty = io(true);
    createOutput(tty, { json: false, secrets: () => [] }).progress('reading')();
    expect(tty.err.join('')).toContain('reading');
    const json = io(true);
    createOutput(json, { json: true, secrets: () => [] }).progress('reading')();
    expect(json.err).toEqual([]);
  });

  it('runKaa never throws: a missing config is exit 2 with a coded message', async () => {
    const t = io(false);
    expect(await runKaa(['url'], t)).toBe(2);
    expect(t.err.join('')).toMatch(/^kaa: E_CONFIG_INVALID: Cannot read the config file "kaa.yaml"/);
    const j = io(false);
    expect(await runKaa(['lint', '--json', '--config', 'x.yaml'], j)).toBe(2);
    expect((JSON.parse(j.out.join('')) as { error: { code: string } }).error.code).toBe('E_CONFIG_INVALID');
  });
});
