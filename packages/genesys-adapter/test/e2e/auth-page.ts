/**
 * The tiny test page of auth.e2e.test.ts, bundled with esbuild: the landing page (`/koreaiaa-genesys/`) and the
 * popup callback (`/koreaiaa-genesys/auth-callback.html`) share this script. It reports into `#result`.
 */
import { createGenesysAuth, pendingLoginQuery, popupCallback } from '../../src/index.js';
import type { BrowserGrant, GenesysHosts, LoginSuccess } from '../../src/index.js';

const env = (window as unknown as { __ENV: GenesysHosts }).__ENV;
const out = (value: Record<string, unknown>) => {
  document.getElementById('result')!.textContent = JSON.stringify(value);
};

if (location.pathname.endsWith('/auth-callback.html')) {
  popupCallback();
} else {
  void main();
}

async function main() {
  const query = new URLSearchParams(pendingLoginQuery(location, sessionStorage) ?? location.search.slice(1));
  const grant = query.get('grant') as BrowserGrant | null;
  const auth = createGenesysAuth({
    clientId: query.get('genesysid') ?? 'unknown',
    redirectUri: `${location.origin}/koreaiaa-genesys/`,
    popupRedirectUri: `${location.origin}/koreaiaa-genesys/auth-callback.html`,
    environment: env,
    popup: query.get('usePopupAuth') === 'true',
    storage: sessionStorage,
  });
  const report = async (answer: LoginSuccess) => {
    const me = await fetch(`${env.apiBase}/api/v2/users/me`, {
      headers: { Authorization: `Bearer ${answer.token.accessToken}` },
    }).then((r) => r.json());
    out({
      status: 'token',
      grant: answer.token.grant,
      me: me.id,
      originalQuery: answer.originalQuery,
      ctx: answer.ctx,
      urlAfter: location.href,
      stored: auth.getToken() !== null,
    });
  };
  try {
    const answer = await auth.handleRedirect(location);
    if (answer?.kind === 'token') return await report(answer);
    if (answer?.kind === 'redirecting') return;
  } catch (e) {
    const k = e as { code?: string; message?: string };
    return out({ status: 'error', code: k.code, message: k.message, urlAfter: location.href });
  }
  const ctx = { conversationId: query.get('conversationid') ?? 'none', hostOrigin: query.get('environment') ?? 'none' };
  document.getElementById('login')!.addEventListener('click', () => {
    auth.login({ ctx, originalQuery: query.toString(), ...(grant ? { grant } : {}) }).then(
      (a) => (a.kind === 'token' ? report(a) : undefined),
      (e: { code?: string; message?: string }) => out({ status: 'error', code: e.code, message: e.message }),
    );
  });
  out({ status: 'ready' });
}
