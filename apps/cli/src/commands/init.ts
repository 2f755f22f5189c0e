import { KaaError } from '@kaa/core';
import type { Command } from '../command.js';
import { STARTER_CONFIG } from '../config/starter-config.js';
import { EXIT } from '../exit-codes.js';

/**
 * `kaa init [--force]`: writes the commented starter config to `--config` (default `kaa.yaml`).
 *
 * @example
 * ```sh
 * kaa init && $EDITOR kaa.yaml
 * ```
 */
export const initCommand: Command = {
  name: 'init',
  summary: 'Write a commented starter config (kaa.yaml)',
  options: { force: { type: 'boolean' } },
  help: `Usage: kaa init [--config <file>] [--force]

Writes a commented starter config to <file> (default kaa.yaml, or $KAA_CONFIG). Every secret in it is a
reference ({ env: NAME } or { file: path }). Refuses to overwrite an existing file unless --force.
`,
  async run(ctx) {
    const path = ctx.configPath;
    const force = ctx.values['force'] === true;
    if (!force && (await ctx.io.exists(path))) {
      throw new KaaError(
        'E_CLI_USAGE',
        `${path} already exists. Use --force to overwrite it, or --config <other file>.`,
        { details: { file: path } },
      );
    }
    await ctx.io.writeFile(path, STARTER_CONFIG, { exclusive: !force });
    if (ctx.out.json) ctx.out.result({ written: path });
    else {
      ctx.out.line(`Wrote ${path}. Next (docs/deploy.md walks through every step):`);
      ctx.out.line('  1. fill in the ids and export the secrets it references');
      ctx.out.line('  2. kaa lint --offline        check the config');
      ctx.out.line('  3. kaa table plan / apply    write the bot rows to the Kore Data Table');
      ctx.out.line('  4. kaa page --dist <dir>     put the settings into a copy of the built page; upload it');
      ctx.out.line('     kaa page --csp            the Content-Security-Policy header your web host must send');
      ctx.out.line('  5. kaa url --reveal          the Application URL and redirect URIs to enter in Genesys');
      ctx.out.line('  6. kaa doctor --conversation <id> --user <id>');
    }
    return EXIT.ok;
  },
};
