import { buildPageCsp, embedPageConfig, KaaError, pageHeadersFile, pageSecurityHeaders } from '@kaa/core';
import type { Command } from '../command.js';
import type { LoadedConfig } from '../config/loaded-config.js';
import { genesysEnvironment, koreApiBase } from '../connections.js';
import { EXIT } from '../exit-codes.js';
import { pageSettingsOf, thirdPartyLookupMissing } from '../page/page-settings.js';

/**
 * `kaa page --dist <dir>`: embeds the settings the page needs (`pageSettingsOf`: the config's `settings` plus the
 * resolved Kore API host) into the built page's `index.html` (core's `embedPageConfig`), and writes `csp.txt` and
 * `_headers` for the admin's own hosts. `kaa page --csp` prints that Content-Security-Policy header value (core's
 * `buildPageCsp`). Invalid settings fail before anything is written, naming the key.
 *
 * @example
 * ```sh
 * pnpm --filter @kaa/iframe build && kaa page --dist apps/iframe/dist && kaa page --csp
 * ```
 */
export const pageCommand: Command = {
  name: 'page',
  summary: 'Embed the settings into the built page (index.html); print its Content-Security-Policy',
  options: { dist: { type: 'string' }, csp: { type: 'boolean' } },
  help: `Usage: kaa page --dist <dir> [--json] [--config <file>]
       kaa page --csp [--json] [--config <file>]

--dist <dir>   Writes what the page needs into <dir>/index.html, the built page (pnpm --filter @kaa/iframe build
               → apps/iframe/dist; deploy a copy of it), as a JSON block (<script type="application/json"
               id="kaa-config">): the "settings" section of the config, plus
                 kore.apiHost            the Kore API host: agentAi.apiHost, else settings kore.apiHost, else
                                         derived from agentAi.url (the page never guesses it)
                 thirdParty.http.url     botSource.url (botSource kind third-party with lookup http)
                 legacy.tableId          botSource.tableId (botSource kind genesys-legacy-table)
               An embedded block wins over kaa.config.json, so the page makes no request for its settings.
               Also rewrites <dir>/csp.txt and <dir>/_headers (Netlify / Cloudflare Pages) with the
               Content-Security-Policy of your own hosts (below). Run it again after every settings change and
               every new build of the page. Nothing is written when a setting is wrong.
--csp          Prints the Content-Security-Policy header value for your hosts: your Genesys environment
               (api, login, streaming; the desktop as frame-ancestors), the Kore API host, the widget
               origins (agentAi.widgetUrl and every bot's widgetUrl). Serve it as the page's
               "Content-Security-Policy" HTTP header: a plain static host or CDN ignores _headers, and
               frame-ancestors works only as a header.
--json         --dist: {written, bytes, settings: {kore: {apiHost}}, csp}; --csp: {csp, headers}
`,
  async run(ctx) {
    const dist = ctx.values['dist'];
    const wantCsp = ctx.values['csp'] === true;
    if (!wantCsp && (typeof dist !== 'string' || dist === '')) {
      throw new KaaError(
        'E_CLI_USAGE',
        'kaa page needs --dist <dir> (the built page directory: apps/iframe/dist after pnpm --filter @kaa/iframe build) or --csp. Run "kaa page --help".',
      );
    }
    const loaded = await ctx.load();
    const csp = pageCsp(loaded);
    if (typeof dist !== 'string' || dist === '') {
      if (ctx.out.json) ctx.out.result({ csp, headers: pageSecurityHeaders(csp) });
      else ctx.out.line(csp);
      return EXIT.ok;
    }
    const dir = dist.replace(/\/+$/, '');
    const file = `${dir}/index.html`;
    if (!(await ctx.io.exists(file))) {
      throw new KaaError(
        'E_CLI_USAGE',
        `${file} does not exist. Pass the directory of the built page (pnpm --filter @kaa/iframe build writes apps/iframe/dist).`,
        { details: { file } },
      );
    }
    const settings = pageSettingsOf(loaded);
    let html: string;
    try {
      html = embedPageConfig(await ctx.io.readFile(file), settings);
    } catch (e) {
      if (e instanceof KaaError && e.code === 'E_CONFIG_INVALID' && !('file' in (e.details ?? {}))) {
        throw new KaaError(e.code, `${loaded.where(['settings'])}: ${e.message}`, {
          details: { ...e.details, file: loaded.file },
        });
      }
      throw e;
    }
    await ctx.io.writeFile(file, html);
    await ctx.io.writeFile(`${dir}/csp.txt`, `${csp}\n`);
    await ctx.io.writeFile(`${dir}/_headers`, pageHeadersFile(csp));
    const bytes = Buffer.byteLength(html, 'utf8');
    const apiHost = koreApiBase(loaded);
    const lookupMissing = thirdPartyLookupMissing(loaded);
    if (ctx.out.json) ctx.out.result({ written: file, bytes, settings: { kore: { apiHost } }, csp });
    else {
      ctx.out.line(`Embedded the settings of ${loaded.file} into ${file} (Kore API host ${apiHost}).`);
      ctx.out.line(
        `Wrote ${dir}/csp.txt and ${dir}/_headers: serve that Content-Security-Policy with the page ("kaa page --csp" prints it).`,
      );
      ctx.out.line('Deploy the whole directory. Run kaa page again after a settings change or a new build.');
    }
    // kaa's config: botSource.lookup http with url sets thirdParty.source http in the page settings
    if (lookupMissing)
      ctx.out.warn(`kaa page: ${lookupMissing} In kaa.yaml: botSource.lookup: http with botSource.url.`);
    return EXIT.ok;
  },
};

/** The page's CSP for the config's own hosts (core's `buildPageCsp`). */
function pageCsp(loaded: LoadedConfig): string {
  const environment = genesysEnvironment(loaded);
  const settings = pageSettingsOf(loaded) as { thirdParty?: { http?: { url?: string } } };
  const origin = (url: string | undefined): string[] => {
    if (url === undefined) return [];
    try {
      return [new URL(url.replace(/\{[^}]*\}/g, 'x')).origin];
    } catch {
      return [];
    }
  };
  const { config } = loaded;
  return buildPageCsp({
    genesys: [environment],
    koreHosts: [
      ...origin(koreApiBase(loaded)),
      ...origin(settings.thirdParty?.http?.url),
      ...origin(loaded.settings.hold.customUrl),
      ...origin(loaded.settings.tokens.serverUrl),
    ],
    widgetOrigins: [
      ...origin(config.agentAi.widgetUrl),
      ...Object.values(config.bots).flatMap((b) => origin(b.widgetUrl)),
    ],
    socketScheme: new URL(environment.apiBase).protocol === 'http:' ? 'ws:' : 'wss:',
    scriptOrigins: origin(loaded.settings.kore.webSdk.scriptUrl),
  });
}
