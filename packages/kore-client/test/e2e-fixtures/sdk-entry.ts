// The host page of the SDK-integrity e2e test: loads the Agent AI Web SDK from ?script= with ?integrity= (if any).
import { loadAgentAiSdk } from '../../src/index.js';

const params = new URLSearchParams(location.search);
const result: { state: 'loading' | 'loaded' | 'failed'; code?: string; message?: string } = { state: 'loading' };
(window as unknown as { sdkLoad: typeof result }).sdkLoad = result;
loadAgentAiSdk({
  scriptUrl: params.get('script') ?? '',
  integrity: params.get('integrity') ?? undefined,
  timeoutMs: 10_000,
}).then(
  (AAWindow) => {
    result.state = new AAWindow() instanceof AAWindow ? 'loaded' : 'failed';
  },
  (e: { code?: string; message?: string }) => {
    result.state = 'failed';
    result.code = e.code;
    result.message = e.message;
  },
);
