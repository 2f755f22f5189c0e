/**
 * @internal Decodes base64 (standard or url alphabet, padding optional) to UTF-8 text; `undefined` when the
 * value is not base64 of valid UTF-8. Uses `atob` and `TextDecoder`, present in browsers and Node ≥ 16.
 */
export function decodeBase64Text(value: string): string | undefined {
  const compact = value.trim();
  if (compact === '') return '';
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  const standard = compact.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return undefined;
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
