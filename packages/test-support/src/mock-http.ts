import { setupServer } from 'msw/node';
import type { SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw server for the calling test file: listening from `beforeAll` (an unhandled request fails the test),
 * handlers and `seen` reset after each test, closed after all. `seen` lists `"METHOD url"` of every request.
 *
 * @example
 * ```ts
 * const { server, seen } = mockHttp();
 * server.use(http.get('https://api.mypurecloud.ie/api/v2/users/me', () => HttpResponse.json(me)));
 * ```
 */
export function mockHttp(): { server: SetupServer; seen: string[] } {
  const server = setupServer();
  const seen: string[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
  });
  afterAll(() => server.close());
  server.events.on('request:start', ({ request }) => void seen.push(`${request.method} ${request.url}`));
  return { server, seen };
}
