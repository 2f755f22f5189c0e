import { embedPageConfig, KaaError } from '@kaa/core';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';

/**
 * `kaa page --dist <dir>`: embeds the config's `settings` into the built page's `index.html` (core's
 * `embedPageConfig`), so the deployed page reads them from its own document instead of fetching `kaa.config.json`
 * before the Genesys requests can start. Invalid settings fail here, naming the key.
 *
 * @example
 * ```sh
 * pnpm --filter iframe build && kaa page --dist apps/iframe/dist
 * ```
 */
export const pageCommand: Command = {
  name: 'page',
  summary: "Embed the config's settings into the built page (index.html)",
  options: { dist: { type: 'string' } },
  help: `Usage: kaa page --dist <dir> [--json] [--config <file>]

Writes the "settings" section of the config into <dir>/index.html, the built /koreaiaa-genesys/ page
(pnpm --filter iframe build → apps/iframe/dist), as a JSON block (<script type="application/json" id="kaa-config">).
The page then needs no kaa.config.json: one request less before it can read the conversation. An embedded
block wins over kaa.config.json. Run it again after every settings change and every new build of the page.
The settings are validated first; nothing is written when a key is wrong.

Options:
  --dist <dir>    the built page directory (holds index.html)
  --json          {written, bytes}
`,
  async run(ctx) {
    const dist = ctx.values['dist'];
    if (typeof dist !== 'string' || dist === '') {
      throw new KaaError('E_CLI_USAGE', 'kaa page needs --dist <dir>: the built page directory (apps/iframe/dist after pnpm --filter iframe build).');
    }
    const loaded = await ctx.load();
    const file = `${dist.replace(/\/+$/, '')}/index.html`;
    if (!(await ctx.io.exists(file))) {
      throw new KaaError('E_CLI_USAGE', `${file} does not exist. Pass the directory of the built page (pnpm --filter iframe build writes apps/iframe/dist).`, { details: { file } });
    }
    let html: string;
    try {
      html = embedPageConfig(await ctx.io.readFile(file), loaded.config.settings);
    } catch (e) {
      if (e instanceof KaaError && e.code === 'E_CONFIG_INVALID' && !('file' in (e.details ?? {}))) {
        throw new KaaError(e.code, `${loaded.where(['settings'])}: ${e.message}`, { details: { ...e.details, file: loaded.file } });
      }
      throw e;
    }
    await ctx.io.writeFile(file, html);
    const bytes = Buffer.byteLength(html, 'utf8');
    if (ctx.out.json) ctx.out.result({ written: file, bytes });
    else {
      ctx.out.line(`Embedded the settings of ${loaded.file} into ${file}.`);
      ctx.out.line('The page reads them from index.html; kaa.config.json is no longer fetched. Run kaa page again after a settings change or a new build.');
    }
    return EXIT.ok;
  },
};
