import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createGenesysApi } from '../src/index.js';
import type {
  GenesysConversationBody,
  GenesysDataTable,
  GenesysMessage,
  GenesysQueue,
  GenesysUserMe,
} from '../src/index.js';
import { ENV } from './helpers.js';

/**
 * The adapter writes its own Genesys response types (`src/genesys-models.ts`) so that its published declarations do
 * not need the Genesys SDK; the SDK stays a devDependency for this file. `pnpm run typecheck` compiles it and fails
 * when a field's name or type drifts from the SDK's `Models`. (`id` is required by the adapter's schemas, so the SDK
 * side adds it.)
 */
type WithId<T> = T & { id: string };

describe("the adapter's Genesys types against the Genesys SDK's models", () => {
  it('every SDK model the API returns is assignable to the type the adapter declares for it', () => {
    expectTypeOf<WithId<Models.UserMe>>().toExtend<GenesysUserMe>();
    expectTypeOf<WithId<Models.Conversation>>().toExtend<GenesysConversationBody>();
    expectTypeOf<WithId<Models.Queue>>().toExtend<GenesysQueue>();
    expectTypeOf<WithId<Models.DataTable>>().toExtend<GenesysDataTable>();
    expectTypeOf<WithId<Models.MessageData>>().toExtend<GenesysMessage>();
    // and the adapter's types are not so wide that anything fits
    expectTypeOf<Models.UserMe>().not.toExtend<GenesysUserMe>();
    expectTypeOf<{ id: string; name: number }>().not.toExtend<GenesysQueue>();
  });

  it('bodies built as SDK models come back from the API with their fields, typed by the adapter', async () => {
    const me = {
      id: 'u-1',
      name: 'Agent One',
      email: 'agent@example.com',
      version: 3,
      organization: { id: 'o-1', name: 'Org', version: 1 },
    } satisfies WithId<Models.UserMe>;
    const queue = { id: 'q-1', name: 'ALPHAINC_SALES', memberCount: 2 } satisfies WithId<Models.Queue>;
    const message = {
      id: 'm-1',
      timestamp: '2024-01-01T00:00:00.000Z',
      status: 'delivered',
      direction: 'inbound',
      normalizedMessage: { type: 'Text', text: 'hi' },
    } satisfies WithId<Models.MessageData>;
    const bodies: Record<string, unknown> = {
      '/api/v2/users/me': me,
      '/api/v2/routing/queues/q-1': queue,
      '/api/v2/conversations/messages/c-1/messages/m-1': message,
    };
    const fetch = async (url: string) => {
      const body = bodies[new URL(url).pathname];
      return new Response(JSON.stringify(body ?? {}), {
        status: body ? 200 : 404,
        headers: { 'content-type': 'application/json' },
      });
    };
    const api = createGenesysApi({ environment: ENV, auth: { getToken: () => 'token' }, fetch });
    const sdkMe: GenesysUserMe = me;
    expect(await api.getMe()).toEqual(sdkMe);
    expect(await api.getQueue('q-1')).toEqual(queue);
    expect(await api.getMessage('c-1', 'm-1')).toEqual(message);
  });
});
