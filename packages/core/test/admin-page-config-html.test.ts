import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KaaError, PAGE_CONFIG_ELEMENT_ID, embedPageConfig, embeddedPageConfig, parseSettings } from '@kaa/core';

const BUILT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="preload" href="./kaa.config.json" as="fetch" crossorigin="anonymous">
<script type="module" crossorigin src="./assets/index-abc.js"></script>
</head>
<body><main id="kaa"></main></body>
</html>
`;

describe('embedPageConfig / embeddedPageConfig', () => {
  it('embeds the settings as a JSON data block, drops the kaa.config.json preload, and reads them back', () => {
    const settings = { routing: { cacheTtlSeconds: 60 }, auth: { grant: 'implicit' } };
    const html = embedPageConfig(BUILT, settings);
    expect(html).toContain(`<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">`);
    expect(html).not.toContain('kaa.config.json');
    expect(html).toContain('<script type="module" crossorigin src="./assets/index-abc.js"></script>');
    expect(embeddedPageConfig(html)).toEqual(settings);
    expect(parseSettings(embeddedPageConfig(html)).routing.cacheTtlSeconds).toBe(60);
  });

  it('is idempotent: embedding again replaces the block', () => {
    const once = embedPageConfig(BUILT, { routing: { cacheTtlSeconds: 60 } });
    const twice = embedPageConfig(once, { routing: { cacheTtlSeconds: 90 } });
    expect(twice.match(new RegExp(`id="${PAGE_CONFIG_ELEMENT_ID}"`, 'g'))).toHaveLength(1);
    expect(embeddedPageConfig(twice)).toEqual({ routing: { cacheTtlSeconds: 90 } });
  });

  it('refuses invalid settings at deploy time (E_CONFIG_INVALID naming the key) and a file that is not a page', () => {
    const bad = () => embedPageConfig(BUILT, { routing: { cacheTtlSeconds: 'soon' } });
    expect(bad).toThrow(KaaError);
    expect(bad).toThrow(/routing\.cacheTtlSeconds/);
    expect(() => embedPageConfig('not html', {})).toThrow(/no <\/head>/);
  });

  it('no embedded block → undefined; a broken block → E_CONFIG_INVALID', () => {
    expect(embeddedPageConfig(BUILT)).toBeUndefined();
    const broken = BUILT.replace(
      '</head>',
      `<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">{nope</script></head>`,
    );
    expect(() => embeddedPageConfig(broken)).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
  });

  it('property: no string value can close the block or inject markup; every value reads back unchanged', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, header) => {
        // staticMap takes any strings, as names and values: the worst case for the block
        const settings = {
          thirdParty: { source: 'static', staticMap: { [name]: { ClientSecret: header, '</script><script>': name } } },
          kore: { jwt: { aud: `${header}x` } },
        };
        const html = embedPageConfig(BUILT, settings);
        const block = html.slice(html.indexOf(`id="${PAGE_CONFIG_ELEMENT_ID}">`));
        expect(block.match(/<\/script>/g), 'exactly one closing tag after the block opens').toHaveLength(1);
        expect(embeddedPageConfig(html)).toEqual(settings);
      }),
      { numRuns: 300 },
    );
  });
});
