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
