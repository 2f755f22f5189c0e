/** The language the widget gets when neither the Genesys `lang` nor an override is usable (the widget's own default). */
export const DEFAULT_WIDGET_LANGUAGE = 'en';

/**
 * The widget's `interactiveLanguage` (docs/assumptions.md#widget-language): a non-blank `override` (the bot record's `AppLanguageCode` /
 * `BotLanguageCode`, or `kore.language`) wins as given; otherwise the primary subtag of the Genesys
 * `gcLangTag` (`en-us` → `en`, `pt_BR` → `pt`), lower-cased; otherwise `en`.
 *
 * @example
 * ```ts
 * import { languageOf } from '@kaa/core';
 *
 * languageOf('en-us');        // → 'en'
 * languageOf('fr-CA', 'de');  // → 'de'
 * languageOf(undefined);      // → 'en'
 * ```
 */
export function languageOf(lang: string | undefined | null, override?: string | undefined | null): string {
  if (typeof override === 'string' && override.trim() !== '') return override.trim();
  if (typeof lang !== 'string') return DEFAULT_WIDGET_LANGUAGE;
  const primary = lang.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,8}$/.test(primary) ? primary : DEFAULT_WIDGET_LANGUAGE;
}

/**
 * The `data` of a hooks `TRIGGER_SUMMARY_EVENT` (config `kore.hooks.triggerSummary`, docs/kore-protocol.md#hooks-events) for a
 * widget language code: `locale` is the code, `language` its English name (`en` → `English`, as in Kore's sample);
 * a code the runtime cannot name is sent as given.
 *
 * @example
 * ```ts
 * import { summaryLanguageOf } from '@kaa/core';
 *
 * summaryLanguageOf('en'); // → { language: 'English', locale: 'en' }
 * summaryLanguageOf('de'); // → { language: 'German', locale: 'de' }
 * ```
 */
export function summaryLanguageOf(locale: string): { language: string; locale: string } {
  let language: string | undefined;
  try {
    language = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(locale);
  } catch {
    language = undefined;
  }
  return { language: language ?? locale, locale };
}
