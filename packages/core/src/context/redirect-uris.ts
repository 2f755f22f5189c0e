/**
 * The two OAuth redirect URIs of a deployed page: where the in-iframe login lands (`redirect`) and where the popup
 * login lands (`popup`, the `auth-callback.html` page built next to `index.html`).
 *
 * @example
 * ```ts
 * const uris: PageRedirectUris = { redirect: 'https://kaa.example.com/koreaiaa-genesys/', popup: 'https://kaa.example.com/koreaiaa-genesys/auth-callback.html' };
 * ```
 */
export interface PageRedirectUris {
  readonly redirect: string;
  readonly popup: string;
}

/** The popup callback page, built next to `index.html`. */
export const POPUP_CALLBACK_FILE = 'auth-callback.html';

/**
 * The one rule for which redirect URIs the page uses, read by the page (its login) and by `kaa url` (the URIs to
 * register on the Genesys OAuth client, exactly): `redirect` is setting `auth.redirectUri`, else the page URL without
 * query or fragment; `popup` is setting `auth.popupRedirectUri`, else {@link POPUP_CALLBACK_FILE} next to `redirect`.
 * The page may use the popup even without `usePopupAuth` (a login page that refuses to be framed, a browser that
 * blocks the frame's storage), so both must be registered.
 *
 * @example
 * ```ts
 * pageRedirectUris('https://kaa.example.com/koreaiaa-genesys/?conversationid=1', {});
 * // { redirect: 'https://kaa.example.com/koreaiaa-genesys/', popup: 'https://kaa.example.com/koreaiaa-genesys/auth-callback.html' }
 * ```
 */
export function pageRedirectUris(
  pageUrl: string,
  auth: { readonly redirectUri?: string | undefined; readonly popupRedirectUri?: string | undefined },
): PageRedirectUris {
  const page = new URL(pageUrl);
  const redirect = auth.redirectUri ?? `${page.origin}${page.pathname}`;
  return { redirect, popup: auth.popupRedirectUri ?? new URL(POPUP_CALLBACK_FILE, redirect).href };
}
