import { afterAll, beforeAll, it } from 'vitest';
import { startSandbox, CONVERSATIONS, USERS, type Sandbox } from '@kaa/sandbox';
import { buildKaa, kaa, tempDir } from './helpers.js';
import { SANDBOX_ENV, writeSandboxConfig } from './sandbox-config.js';

let sandbox: Sandbox; let bin: string; let dir: string;
beforeAll(async () => { [sandbox, bin] = await Promise.all([startSandbox({ desktop: false }), buildKaa()]); dir = await tempDir(); await writeSandboxConfig(dir, sandbox); }, 60_000);
afterAll(async () => { await sandbox?.close(); });
it('smoke', async () => {
  for (const args of [['url'], ['url', '--reveal', '--json'], ['table', 'plan'], ['lint'], ['doctor', '--conversation', CONVERSATIONS.voiceAlpha, '--user', USERS.agent.id], ['doctor', '--conversation', CONVERSATIONS.voiceUnmapped, '--user', USERS.agent.id], ['token', 'widget', '--bot', 'rs']]) {
    const r = await kaa(bin, args, { cwd: dir, env: SANDBOX_ENV });
    console.log(`$ kaa ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
});
