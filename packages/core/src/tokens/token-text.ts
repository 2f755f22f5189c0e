/**
 * True when `token` is visible ASCII only (`!` to `~`): every JWT is (base64url segments and dots), and so is anything
 * an HTTP header can carry as is. A token with other characters (a pasted "smart" quote, a non-Latin letter) is a
 * copying mistake: say so, instead of letting `fetch` refuse the header with an error that reads like a network failure.
 *
 * @example
 * ```ts
 * isTokenText('eyJhbGciOiJIUzI1NiJ9.e30.sig'); // true
 * isTokenText('eyJ…’');                        // false
 * ```
 */
export function isTokenText(token: string): boolean {
  return /^[\x21-\x7e]+$/.test(token);
}
