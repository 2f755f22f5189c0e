// Over 300 lines on purpose: the sandbox's Genesys admin API: one route table per area (OAuth, integrations, authorization, directory, routing, architect), test-only.
import {
  AUDIOHOOK_INTEGRATION_TYPE,
  INTERACTION_WIDGET_TYPE,
  listIssues,
  permissionPolicies,
  policyPermissions,
  type IssueLike,
  type PermissionPolicy,
} from '@kaa/core';
import type { Models } from 'purecloud-platform-client-v2';
import { z } from 'zod';
import { readJson } from '../http/body.js';
import { sendEmpty, sendJson } from '../http/send.js';
import { DIVISIONS, USERS } from '../seed.js';
import { ApiError, type Ctx, notFound, requireScope, type Route } from './api-route.js';
import { iso } from './clock.js';
import { page } from './datatables.js';
import type { Grant, OAuthClient } from './oauth-clients.js';
import type { Org, OrgGrant, OrgIntegration, OrgQueue, OrgRole } from './org.js';

/*
 * The Genesys admin API the sandbox emulates for `kaa provision` and `kaa doctor` (docs/assumptions.md#provisioned-integration-shapes):
 * OAuth clients, integrations with their current configuration and credentials, roles, grants, divisions, groups, users,
 * queues and Architect data tables. Request bodies are checked with zod and typed as the platform SDK's models;
 * responses are built as those models (`satisfies Models.*`), so the SDK that drives them in the tests reads what
 * Genesys returns. Every route checks the OAuth scopes of the token's client (403 `missing.any.scopes`).
 */

const text = (max: number) => z.string().max(max);

// ----- OAuth clients

const GRANT_TYPES = {
  CODE: 'pkce',
  TOKEN: 'implicit',
  'CLIENT-CREDENTIALS': 'client_credentials',
} as const satisfies Record<string, Grant>;
const OAuthClientBody = z
  .object({
    name: z.string().min(1).max(200),
    description: text(1000).optional(),
    accessTokenValiditySeconds: z.number().int().min(300).max(172_800).optional(),
    registeredRedirectUri: z.array(z.string().url().max(2000)).max(100).optional(),
    authorizedGrantType: z.enum(
      Object.keys(GRANT_TYPES) as [keyof typeof GRANT_TYPES, ...(keyof typeof GRANT_TYPES)[]],
    ),
    scope: z.array(z.string().min(1).max(100)).max(200).optional(),
    roleIds: z.array(z.string()).max(100).optional(),
    state: z.string().max(20).optional(),
  })
  .passthrough();

function grantTypeOf(c: OAuthClient): string {
  const grant = c.grants[0] ?? 'client_credentials';
  return Object.entries(GRANT_TYPES).find(([, g]) => g === grant)?.[0] ?? 'CLIENT-CREDENTIALS';
}

/** An OAuth client as `GET /api/v2/oauth/clients/{id}` returns it (no secret). */
function clientView(c: OAuthClient): Models.OAuthClient {
  return {
    id: c.id,
    name: c.name ?? c.id,
    ...(c.description !== undefined ? { description: c.description } : {}),
    accessTokenValiditySeconds: c.accessTokenValiditySeconds ?? 86_400,
    registeredRedirectUri: [...c.redirectUris],
    authorizedGrantType: grantTypeOf(c),
    scope: [...c.scopes],
    roleIds: [],
    state: 'active',
    ...(c.dateCreated ? { dateCreated: c.dateCreated } : {}),
    ...(c.dateModified ? { dateModified: c.dateModified } : {}),
    selfUri: `/api/v2/oauth/clients/${c.id}`,
  } satisfies Models.OAuthClient;
}

async function clientBody(ctx: Ctx): Promise<Models.OAuthClientRequest> {
  const parsed = OAuthClientBody.safeParse(await readJson(ctx.req));
  if (!parsed.success)
    throw new ApiError(
      400,
      'bad.request',
      `Invalid OAuth client: ${listIssues(parsed.error.issues, { root: 'body' }).join('; ')}`,
    );
  const body = parsed.data satisfies Models.OAuthClientRequest;
  if (body.authorizedGrantType !== 'CLIENT-CREDENTIALS' && (body.registeredRedirectUri ?? []).length === 0)
    throw new ApiError(400, 'bad.request', 'A client with this grant type needs at least one registeredRedirectUri.');
  return body;
}

function applyClient(target: OAuthClient, body: Models.OAuthClientRequest, now: string): OAuthClient {
  const grant = GRANT_TYPES[body.authorizedGrantType as keyof typeof GRANT_TYPES];
  return {
    ...target,
    name: body.name,
    ...(body.description !== undefined ? { description: body.description } : {}),
    grants: [grant],
    redirectUris: [...(body.registeredRedirectUri ?? [])],
    scopes: [...(body.scope ?? [])],
    ...(body.accessTokenValiditySeconds !== undefined
      ? { accessTokenValiditySeconds: body.accessTokenValiditySeconds }
      : {}),
    dateModified: now,
  };
}

const OAUTH_ROUTES: Route[] = [
  [
    'GET',
    /^\/api\/v2\/oauth\/clients$/,
    (ctx) => {
      requireScope(ctx.token, ['oauth', 'oauth:readonly']);
      sendJson(
        ctx.res,
        200,
        {
          entities: [...ctx.g.org.clients.values()].map(clientView),
          total: ctx.g.org.clients.size,
          pageSize: ctx.g.org.clients.size,
          pageNumber: 1,
          pageCount: 1,
        } satisfies Models.OAuthClientEntityListing,
        ctx.headers,
      );
    },
  ],
  [
    'GET',
    /^\/api\/v2\/oauth\/clients\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['oauth', 'oauth:readonly']);
      const c = ctx.g.org.clients.get(id ?? '');
      if (!c) throw notFound('OAuth client');
      sendJson(ctx.res, 200, clientView(c), ctx.headers);
    },
  ],
  [
    'POST',
    /^\/api\/v2\/oauth\/clients$/,
    async (ctx) => {
      requireScope(ctx.token, ['oauth']);
      const body = await clientBody(ctx);
      const now = iso(ctx.g.env.now());
      // Genesys generates a secret for every new client and shows it in this answer only
      const client = applyClient(
        {
          id: ctx.g.env.uuid(),
          grants: [],
          redirectUris: [],
          scopes: [],
          secret: ctx.g.env.secret(),
          dateCreated: now,
        },
        body,
        now,
      );
      ctx.g.org.clients.set(client.id, client);
      ctx.g.secrets.add('genesys-client-secret', client.secret);
      sendJson(
        ctx.res,
        200,
        { ...clientView(client), secret: client.secret } satisfies Models.OAuthClient,
        ctx.headers,
      );
    },
  ],
  [
    'PUT',
    /^\/api\/v2\/oauth\/clients\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['oauth']);
      const existing = ctx.g.org.clients.get(id ?? '');
      if (!existing) throw notFound('OAuth client');
      const body = await clientBody(ctx);
      const client = applyClient(existing, body, iso(ctx.g.env.now()));
      ctx.g.org.clients.set(client.id, client);
      sendJson(ctx.res, 200, clientView(client), ctx.headers);
    },
  ],
  [
    'DELETE',
    /^\/api\/v2\/oauth\/clients\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['oauth']);
      if (!ctx.g.org.clients.delete(id ?? '')) throw notFound('OAuth client');
      sendEmpty(ctx.res, 204, ctx.headers);
    },
  ],
];

// ----- integrations

const INTEGRATION_TYPES: Readonly<Record<string, string>> = {
  [INTERACTION_WIDGET_TYPE]: 'Interaction Widget',
  [AUDIOHOOK_INTEGRATION_TYPE]: 'AudioHook Monitor',
};
const CreateIntegrationBody = z
  .object({
    name: z.string().min(1).max(200),
    integrationType: z.object({ id: z.string().min(1).max(100) }).passthrough(),
  })
  .passthrough();
const PatchIntegrationBody = z.object({ intendedState: z.enum(['ENABLED', 'DISABLED', 'DELETED']) }).passthrough();
const ConfigBody = z
  .object({
    name: z.string().min(1).max(200),
    version: z.number().int().min(1),
    properties: z.record(z.string(), z.unknown()),
    advanced: z.record(z.string(), z.unknown()),
    notes: text(5000).optional(),
    credentials: z.record(z.string(), z.object({ id: z.string().min(1) }).passthrough()).optional(),
  })
  .passthrough();
const CredentialBody = z
  .object({
    name: z.string().min(1).max(200),
    type: z.object({ name: z.string().min(1).max(100) }).passthrough(),
    credentialFields: z.record(z.string(), z.string().max(10_000)),
  })
  .passthrough();

function configView(i: OrgIntegration): Models.IntegrationConfiguration {
  return {
    id: i.id,
    name: i.config.name,
    version: i.config.version,
    properties: structuredClone(i.config.properties),
    advanced: structuredClone(i.config.advanced),
    notes: i.config.notes,
    credentials: Object.fromEntries(
      Object.entries(i.config.credentials).map(([k, c]) => [
        k,
        { id: c.id, ...(c.name ? { name: c.name } : {}) } satisfies Models.CredentialInfo,
      ]),
    ),
    selfUri: `/api/v2/integrations/${i.id}/config/current`,
  } satisfies Models.IntegrationConfiguration;
}

function integrationView(i: OrgIntegration): Models.Integration {
  return {
    id: i.id,
    name: i.name,
    integrationType: { id: i.typeId, name: INTEGRATION_TYPES[i.typeId] ?? i.typeId },
    notes: i.notes,
    intendedState: i.intendedState,
    config: { current: configView(i) },
    reportedState: { code: i.intendedState === 'ENABLED' ? 'ACTIVE' : 'INACTIVE' },
    selfUri: `/api/v2/integrations/${i.id}`,
  } satisfies Models.Integration;
}

function integration(org: Org, id: string | undefined): OrgIntegration {
  const i = org.integrations.get(id ?? '');
  if (!i) throw notFound('Integration');
  return i;
}

function invalid(what: string, issues: readonly IssueLike[]): ApiError {
  return new ApiError(400, 'bad.request', `Invalid ${what}: ${listIssues(issues, { root: 'body' }).join('; ')}`);
}

const INTEGRATION_ROUTES: Route[] = [
  [
    'GET',
    /^\/api\/v2\/integrations$/,
    (ctx) => {
      requireScope(ctx.token, ['integrations', 'integrations:readonly']);
      const type = ctx.url.searchParams.get('integrationType');
      const list = [...ctx.g.org.integrations.values()].filter((i) => !type || i.typeId === type).map(integrationView);
      sendJson(
        ctx.res,
        200,
        page(list, ctx.url, '/api/v2/integrations') satisfies Models.IntegrationEntityListing,
        ctx.headers,
      );
    },
  ],
  [
    'POST',
    /^\/api\/v2\/integrations$/,
    async (ctx) => {
      requireScope(ctx.token, ['integrations']);
      const parsed = CreateIntegrationBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('integration', parsed.error.issues);
      const body = parsed.data satisfies Models.CreateIntegrationRequest;
      if (!(body.integrationType.id in INTEGRATION_TYPES))
        throw new ApiError(400, 'bad.request', `Unknown integration type "${body.integrationType.id}".`);
      const id = ctx.g.env.uuid();
      const created: OrgIntegration = {
        id,
        name: body.name,
        typeId: body.integrationType.id,
        intendedState: 'DISABLED',
        notes: '',
        config: { name: body.name, version: 1, properties: {}, advanced: {}, notes: '', credentials: {} },
      };
      ctx.g.org.integrations.set(id, created);
      sendJson(ctx.res, 200, integrationView(created), ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/integrations\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['integrations', 'integrations:readonly']);
      sendJson(ctx.res, 200, integrationView(integration(ctx.g.org, id)), ctx.headers);
    },
  ],
  [
    'PATCH',
    /^\/api\/v2\/integrations\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['integrations']);
      const i = integration(ctx.g.org, id);
      const parsed = PatchIntegrationBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('integration', parsed.error.issues);
      const body = parsed.data satisfies Models.Integration;
      if (body.intendedState === 'DELETED') ctx.g.org.integrations.delete(i.id);
      else i.intendedState = body.intendedState;
      sendJson(ctx.res, 200, integrationView(i), ctx.headers);
    },
  ],
  [
    'DELETE',
    /^\/api\/v2\/integrations\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['integrations']);
      const i = integration(ctx.g.org, id);
      ctx.g.org.integrations.delete(i.id);
      sendJson(ctx.res, 200, integrationView(i), ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/integrations\/([^/]+)\/config\/current$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['integrations', 'integrations:readonly']);
      sendJson(ctx.res, 200, configView(integration(ctx.g.org, id)), ctx.headers);
    },
  ],
  [
    'PUT',
    /^\/api\/v2\/integrations\/([^/]+)\/config\/current$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['integrations']);
      const i = integration(ctx.g.org, id);
      const parsed = ConfigBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('integration configuration', parsed.error.issues);
      const body = parsed.data satisfies Partial<Models.IntegrationConfiguration>;
      // optimistic concurrency: the body carries the version it was read at (docs/assumptions.md#provisioned-integration-shapes)
      if (body.version !== i.config.version)
        throw new ApiError(
          409,
          'conflict',
          `The configuration was changed since version ${body.version}; read it again (current version ${i.config.version}).`,
        );
      for (const [key, c] of Object.entries(body.credentials ?? {})) {
        if (!ctx.g.org.credentials.has(c.id))
          throw new ApiError(400, 'bad.request', `Credential "${key}" (${c.id}) does not exist.`);
      }
      i.config = {
        name: body.name,
        version: i.config.version + 1,
        properties: structuredClone(body.properties),
        advanced: structuredClone(body.advanced),
        notes: body.notes ?? '',
        credentials: Object.fromEntries(
          Object.entries(body.credentials ?? {}).map(([k, c]) => [
            k,
            { id: c.id, name: ctx.g.org.credentials.get(c.id)?.name ?? k },
          ]),
        ),
      };
      i.name = body.name;
      sendJson(ctx.res, 200, configView(i), ctx.headers);
    },
  ],
  [
    'POST',
    /^\/api\/v2\/integrations\/credentials$/,
    async (ctx) => {
      requireScope(ctx.token, ['integrations']);
      const parsed = CredentialBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('credential', parsed.error.issues);
      const body = parsed.data satisfies Models.Credential;
      const id = ctx.g.env.uuid();
      ctx.g.org.credentials.set(id, {
        id,
        name: body.name,
        typeName: body.type.name,
        fields: { ...body.credentialFields },
      });
      sendJson(
        ctx.res,
        200,
        {
          id,
          name: body.name,
          type: { name: body.type.name },
          selfUri: `/api/v2/integrations/credentials/${id}`,
        } satisfies Models.CredentialInfo,
        ctx.headers,
      );
    },
  ],
  [
    'PUT',
    /^\/api\/v2\/integrations\/credentials\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['integrations']);
      const existing = ctx.g.org.credentials.get(id ?? '');
      if (!existing) throw notFound('Credential');
      const parsed = CredentialBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('credential', parsed.error.issues);
      const body = parsed.data satisfies Models.Credential;
      ctx.g.org.credentials.set(existing.id, {
        ...existing,
        name: body.name,
        typeName: body.type.name,
        fields: { ...body.credentialFields },
      });
      sendJson(
        ctx.res,
        200,
        {
          id: existing.id,
          name: body.name,
          type: { name: body.type.name },
          selfUri: `/api/v2/integrations/credentials/${existing.id}`,
        } satisfies Models.CredentialInfo,
        ctx.headers,
      );
    },
  ],
  [
    'GET',
    /^\/api\/v2\/integrations\/credentials\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['integrations', 'integrations:readonly']);
      const c = ctx.g.org.credentials.get(id ?? '');
      if (!c) throw notFound('Credential');
      // the stored fields are secrets: only their names come back
      sendJson(
        ctx.res,
        200,
        {
          id: c.id,
          name: c.name,
          type: { name: c.typeName },
          credentialFields: Object.fromEntries(Object.keys(c.fields).map((k) => [k, ''])),
        } satisfies Models.Credential,
        ctx.headers,
      );
    },
  ],
];

// ----- authorization: roles, grants, divisions

const Policy = z
  .object({
    domain: z.string().min(1).max(100),
    entityName: z.string().min(1).max(100),
    actionSet: z.array(z.string().min(1).max(100)).min(1).max(50),
  })
  .passthrough();
const RoleBody = z
  .object({
    name: z.string().min(1).max(200),
    description: text(1000).optional(),
    permissions: z.array(z.string().min(1).max(300)).max(500).optional(),
    permissionPolicies: z.array(Policy).max(500).optional(),
  })
  .passthrough();
const SubjectDivisionsBody = z
  .object({
    subjectIds: z.array(z.string().min(1)).min(1).max(100),
    divisionIds: z.array(z.string().min(1)).min(1).max(100),
  })
  .passthrough();
const SUBJECT_TYPES = ['PC_USER', 'PC_GROUP'] as const;

function roleView(org: Org, r: OrgRole): Models.DomainOrganizationRole {
  return {
    id: r.id,
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    permissions: policyPermissions(r.policies),
    permissionPolicies: r.policies.map(
      (p) =>
        ({
          domain: p.domain,
          entityName: p.entityName,
          actionSet: [...p.actionSet],
        }) satisfies Models.DomainPermissionPolicy,
    ),
    userCount: new Set(
      org.grants
        .filter((g) => g.roleId === r.id)
        .flatMap((g) => (g.subjectType === 'PC_USER' ? [g.subjectId] : (org.groups.get(g.subjectId)?.memberIds ?? []))),
    ).size,
    default: false,
    base: false,
    selfUri: `/api/v2/authorization/roles/${r.id}`,
  } satisfies Models.DomainOrganizationRole;
}

async function roleBody(ctx: Ctx): Promise<{ name: string; description?: string; policies: PermissionPolicy[] }> {
  const parsed = RoleBody.safeParse(await readJson(ctx.req));
  if (!parsed.success) throw invalid('role', parsed.error.issues);
  const body = parsed.data satisfies Models.DomainOrganizationRoleCreate;
  const policies = body.permissionPolicies
    ? permissionPolicies(policyPermissions(body.permissionPolicies))
    : permissionPolicies(body.permissions ?? []);
  return { name: body.name, ...(body.description !== undefined ? { description: body.description } : {}), policies };
}

function role(org: Org, id: string | undefined): OrgRole {
  const r = org.roles.get(id ?? '');
  if (!r) throw notFound('Role');
  return r;
}

function division(org: Org, id: string): { id: string; name: string; home: boolean } {
  const d = org.divisions.get(id);
  if (!d) throw new ApiError(400, 'bad.request', `Division "${id}" does not exist.`);
  return d;
}

function subjectType(url: URL): (typeof SUBJECT_TYPES)[number] {
  const t = url.searchParams.get('subjectType') ?? 'PC_USER';
  if (!(SUBJECT_TYPES as readonly string[]).includes(t))
    throw new ApiError(400, 'bad.request', `subjectType must be one of ${SUBJECT_TYPES.join(', ')}.`);
  return t as (typeof SUBJECT_TYPES)[number];
}

function grant(ctx: Ctx, subjectId: string, type: OrgGrant['subjectType'], roleId: string, divisionId: string): void {
  const org = ctx.g.org;
  const known = type === 'PC_GROUP' ? org.groups.has(subjectId) : Object.values(USERS).some((u) => u.id === subjectId);
  if (!known)
    throw new ApiError(400, 'bad.request', `${type === 'PC_GROUP' ? 'Group' : 'User'} "${subjectId}" does not exist.`);
  role(org, roleId);
  division(org, divisionId);
  if (org.grants.some((g) => g.subjectId === subjectId && g.roleId === roleId && g.divisionId === divisionId)) return;
  org.grants.push({ subjectId, subjectType: type, roleId, divisionId, madeAt: iso(ctx.g.env.now()) });
}

function subjectView(org: Org, subjectId: string): Models.AuthzSubject {
  return {
    id: subjectId,
    ...(org.subjectName(subjectId) ? { name: org.subjectName(subjectId) } : {}),
    grants: org.grants
      .filter((g) => g.subjectId === subjectId)
      .map((g) => {
        const d = org.divisions.get(g.divisionId);
        const r = org.roles.get(g.roleId);
        return {
          subjectId,
          division: {
            id: g.divisionId,
            name: d?.name ?? g.divisionId,
            description: '',
            homeDivision: d?.home ?? false,
            selfUri: `/api/v2/authorization/divisions/${g.divisionId}`,
          },
          role: {
            id: g.roleId,
            name: r?.name ?? g.roleId,
            default: false,
            selfUri: `/api/v2/authorization/roles/${g.roleId}`,
          },
          grantMadeAt: g.madeAt,
        } satisfies Models.AuthzGrant;
      }),
    version: 1,
    selfUri: `/api/v2/authorization/subjects/${subjectId}`,
  } satisfies Models.AuthzSubject;
}

const AUTHORIZATION_ROUTES: Route[] = [
  [
    'GET',
    /^\/api\/v2\/authorization\/roles$/,
    (ctx) => {
      requireScope(ctx.token, ['authorization', 'authorization:readonly']);
      const name = ctx.url.searchParams.get('name');
      const list = [...ctx.g.org.roles.values()]
        .filter((r) => !name || r.name === name)
        .map((r) => roleView(ctx.g.org, r));
      sendJson(
        ctx.res,
        200,
        page(list, ctx.url, '/api/v2/authorization/roles') satisfies Models.OrganizationRoleEntityListing,
        ctx.headers,
      );
    },
  ],
  [
    'POST',
    /^\/api\/v2\/authorization\/roles$/,
    async (ctx) => {
      requireScope(ctx.token, ['authorization']);
      const body = await roleBody(ctx);
      if ([...ctx.g.org.roles.values()].some((r) => r.name === body.name))
        throw new ApiError(409, 'conflict', `A role named "${body.name}" already exists.`);
      const created: OrgRole = { id: ctx.g.env.uuid(), ...body };
      ctx.g.org.roles.set(created.id, created);
      sendJson(ctx.res, 200, roleView(ctx.g.org, created), ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/authorization\/roles\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['authorization', 'authorization:readonly']);
      sendJson(ctx.res, 200, roleView(ctx.g.org, role(ctx.g.org, id)), ctx.headers);
    },
  ],
  [
    'PUT',
    /^\/api\/v2\/authorization\/roles\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['authorization']);
      const existing = role(ctx.g.org, id);
      const body = await roleBody(ctx);
      const updated: OrgRole = { id: existing.id, ...body };
      ctx.g.org.roles.set(existing.id, updated);
      sendJson(ctx.res, 200, roleView(ctx.g.org, updated), ctx.headers);
    },
  ],
  [
    'DELETE',
    /^\/api\/v2\/authorization\/roles\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['authorization']);
      const r = role(ctx.g.org, id);
      ctx.g.org.roles.delete(r.id);
      ctx.g.org.grants = ctx.g.org.grants.filter((g) => g.roleId !== r.id);
      sendEmpty(ctx.res, 204, ctx.headers);
    },
  ],
  // bulk grant: every subject in every division
  [
    'POST',
    /^\/api\/v2\/authorization\/roles\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['authorization']);
      const r = role(ctx.g.org, id);
      const type = subjectType(ctx.url);
      const parsed = SubjectDivisionsBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('grant', parsed.error.issues);
      const body = parsed.data satisfies Models.SubjectDivisions;
      for (const s of body.subjectIds) for (const d of body.divisionIds) grant(ctx, s, type, r.id, d);
      sendEmpty(ctx.res, 204, ctx.headers);
    },
  ],
  [
    'POST',
    /^\/api\/v2\/authorization\/subjects\/([^/]+)\/divisions\/([^/]+)\/roles\/([^/]+)$/,
    (ctx, [subjectId, divisionId, roleId]) => {
      requireScope(ctx.token, ['authorization']);
      grant(ctx, subjectId ?? '', subjectType(ctx.url), roleId ?? '', divisionId ?? '');
      sendEmpty(ctx.res, 204, ctx.headers);
    },
  ],
  [
    'DELETE',
    /^\/api\/v2\/authorization\/subjects\/([^/]+)\/divisions\/([^/]+)\/roles\/([^/]+)$/,
    (ctx, [subjectId, divisionId, roleId]) => {
      requireScope(ctx.token, ['authorization']);
      const before = ctx.g.org.grants.length;
      ctx.g.org.grants = ctx.g.org.grants.filter(
        (g) => !(g.subjectId === subjectId && g.divisionId === divisionId && g.roleId === roleId),
      );
      if (ctx.g.org.grants.length === before) throw notFound('Grant');
      sendEmpty(ctx.res, 204, ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/authorization\/subjects\/([^/]+)$/,
    (ctx, [subjectId]) => {
      requireScope(ctx.token, ['authorization', 'authorization:readonly']);
      if (ctx.g.org.subjectName(subjectId ?? '') === undefined) throw notFound('Subject');
      sendJson(ctx.res, 200, subjectView(ctx.g.org, subjectId ?? ''), ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/authorization\/divisions$/,
    (ctx) => {
      requireScope(ctx.token, ['authorization', 'authorization:readonly']);
      const name = ctx.url.searchParams.get('name');
      const list = [...ctx.g.org.divisions.values()]
        .filter((d) => !name || d.name === name)
        .map(
          (d) =>
            ({
              id: d.id,
              name: d.name,
              description: '',
              homeDivision: d.home,
              selfUri: `/api/v2/authorization/divisions/${d.id}`,
            }) satisfies Models.AuthzDivision,
        );
      sendJson(
        ctx.res,
        200,
        page(list, ctx.url, '/api/v2/authorization/divisions') satisfies Models.AuthzDivisionEntityListing,
        ctx.headers,
      );
    },
  ],
];

// ----- groups and users

function groupView(g: { id: string; name: string; memberIds: string[]; version: number }): Models.Group {
  return {
    id: g.id,
    name: g.name,
    memberCount: g.memberIds.length,
    state: 'active',
    version: g.version,
    type: 'official',
    rulesVisible: true,
    visibility: 'public',
    rolesEnabled: true,
    selfUri: `/api/v2/groups/${g.id}`,
  } satisfies Models.Group;
}

const DIRECTORY_ROUTES: Route[] = [
  [
    'GET',
    /^\/api\/v2\/groups$/,
    (ctx) => {
      requireScope(ctx.token, ['groups', 'groups:readonly']);
      sendJson(
        ctx.res,
        200,
        page(
          [...ctx.g.org.groups.values()].map(groupView),
          ctx.url,
          '/api/v2/groups',
        ) satisfies Models.GroupEntityListing,
        ctx.headers,
      );
    },
  ],
  [
    'GET',
    /^\/api\/v2\/groups\/([^/]+)$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['groups', 'groups:readonly']);
      const g = ctx.g.org.groups.get(id ?? '');
      if (!g) throw notFound('Group');
      sendJson(ctx.res, 200, groupView(g), ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/users\/([^/]+)\/roles$/,
    (ctx, [id]) => {
      requireScope(ctx.token, ['authorization', 'authorization:readonly']);
      sendJson(ctx.res, 200, userAuthorization(ctx.g.org, user(id).id), ctx.headers);
    },
  ],
  [
    'GET',
    /^\/api\/v2\/users\/([^/]+)$/,
    (ctx, [id]) => {
      // users/me is its own route (registered before this one)
      requireScope(ctx.token, ['users', 'users:readonly']);
      const u = user(id);
      const expand = (ctx.url.searchParams.get('expand') ?? '').split(',');
      const org = ctx.g.org;
      sendJson(
        ctx.res,
        200,
        {
          id: u.id,
          name: u.name,
          email: u.email,
          username: u.email,
          state: 'active',
          version: 1,
          ...(expand.includes('groups') ? { groups: org.groupsOf(u.id).map(groupView) } : {}),
          ...(expand.includes('authorization') ? { authorization: userAuthorization(org, u.id) } : {}),
          selfUri: `/api/v2/users/${u.id}`,
        } satisfies Models.User,
        ctx.headers,
      );
    },
  ],
];

function user(id: string | undefined): { id: string; name: string; email: string } {
  const u = Object.values(USERS).find((x) => x.id === id);
  if (!u) throw notFound('User');
  return u;
}

/** The user's roles and effective permissions, through their own grants and their groups' (docs/assumptions.md#effective-permissions-of-an-agent). */
function userAuthorization(org: Org, userId: string): Models.UserAuthorization {
  const roleIds = [...new Set(org.grantsOf(userId).map((g) => g.roleId))];
  return {
    roles: roleIds.map((id) => ({ id, name: org.roles.get(id)?.name ?? id }) satisfies Models.DomainRole),
    permissions: org.permissionsOf(userId),
  } satisfies Models.UserAuthorization;
}

// ----- routing queues

/**
 * A queue as `GET /api/v2/routing/queues/{id}` returns it, with its voice transcription setting.
 *
 * @example
 * ```ts
 * sendJson(res, 200, queueView(org.queues.get(id)!));
 * ```
 */
export function queueView(q: OrgQueue): Models.Queue {
  return {
    id: q.id,
    name: q.name,
    division: { id: q.divisionId, name: 'Home', selfUri: `/api/v2/authorization/divisions/${q.divisionId}` },
    dateModified: q.dateModified,
    memberCount: 2,
    userMemberCount: 2,
    joinedMemberCount: 2,
    enableTranscription: q.enableTranscription,
    enableAudioMonitoring: q.enableAudioMonitoring,
    enableManualAssignment: false,
    selfUri: `/api/v2/routing/queues/${q.id}`,
  } satisfies Models.Queue;
}

const QueueBody = z
  .object({
    name: z.string().min(1).max(200),
    enableTranscription: z.boolean().optional(),
    enableAudioMonitoring: z.boolean().optional(),
    division: z
      .object({ id: z.string().min(1) })
      .passthrough()
      .optional(),
  })
  .passthrough();

const ROUTING_ROUTES: Route[] = [
  [
    'GET',
    /^\/api\/v2\/routing\/queues$/,
    (ctx) => {
      requireScope(ctx.token, ['routing', 'routing:readonly']);
      const name = ctx.url.searchParams.get('name');
      const list = [...ctx.g.org.queues.values()].filter((q) => !name || q.name === name).map(queueView);
      sendJson(
        ctx.res,
        200,
        page(list, ctx.url, '/api/v2/routing/queues') satisfies Models.QueueEntityListing,
        ctx.headers,
      );
    },
  ],
  [
    'PUT',
    /^\/api\/v2\/routing\/queues\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['routing']);
      const q = ctx.g.org.queues.get(id ?? '');
      if (!q) throw notFound('Queue');
      const parsed = QueueBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('queue', parsed.error.issues);
      const body = parsed.data satisfies Models.QueueRequest;
      if (body.enableTranscription === true && !ctx.g.org.features.voiceTranscription) {
        // docs/assumptions.md#voice-transcription-licence
        throw new ApiError(
          400,
          'bad.request',
          'Voice transcription cannot be enabled: the organization has no Speech and Text Analytics (Genesys Cloud CX 3) licence.',
        );
      }
      q.name = body.name;
      if (body.enableTranscription !== undefined) q.enableTranscription = body.enableTranscription;
      if (body.enableAudioMonitoring !== undefined) q.enableAudioMonitoring = body.enableAudioMonitoring;
      if (body.division?.id !== undefined) q.divisionId = division(ctx.g.org, body.division.id).id;
      q.dateModified = iso(ctx.g.env.now());
      sendJson(ctx.res, 200, queueView(q), ctx.headers);
    },
  ],
];

// ----- Architect data tables (the legacy single-bot table)

const DataTableBody = z
  .object({
    name: z.string().min(1).max(256),
    description: text(1000).optional(),
    schema: z
      .object({
        properties: z.record(
          z.string(),
          z.object({ title: z.string().optional(), type: z.string().optional() }).passthrough(),
        ),
      })
      .passthrough(),
  })
  .passthrough();

const ARCHITECT_ROUTES: Route[] = [
  [
    'POST',
    /^\/api\/v2\/flows\/datatables$/,
    async (ctx) => {
      requireScope(ctx.token, ['architect']);
      const parsed = DataTableBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('data table', parsed.error.issues);
      const body = parsed.data as Models.DataTable & { name: string };
      if (ctx.g.org.tables.some((t) => t.table.name === body.name))
        throw new ApiError(409, 'conflict', `A data table named "${body.name}" already exists.`);
      const id = ctx.g.env.uuid();
      const table = {
        ...body,
        id,
        division: { id: DIVISIONS.home.id, name: DIVISIONS.home.name },
        selfUri: `/api/v2/flows/datatables/${id}`,
      } satisfies Models.DataTable;
      ctx.g.org.tables.push({ table, rows: [] });
      sendJson(ctx.res, 200, table, ctx.headers);
    },
  ],
  [
    'PUT',
    /^\/api\/v2\/flows\/datatables\/([^/]+)$/,
    async (ctx, [id]) => {
      requireScope(ctx.token, ['architect']);
      const existing = ctx.g.org.tables.find((t) => t.table.id === id);
      if (!existing) throw notFound('Data table');
      const parsed = DataTableBody.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw invalid('data table', parsed.error.issues);
      const body = parsed.data as Models.DataTable & { name: string };
      existing.table = {
        ...existing.table,
        ...body,
        id: existing.table.id,
        ...(existing.table.selfUri ? { selfUri: existing.table.selfUri } : {}),
      } satisfies Models.DataTable;
      sendJson(ctx.res, 200, existing.table, ctx.headers);
    },
  ],
];

/**
 * Every admin route, in match order (the API server appends them to its own).
 *
 * @example
 * ```ts
 * const ROUTES: Route[] = [...conversationRoutes, ...ADMIN_ROUTES];
 * ```
 */
export const ADMIN_ROUTES: readonly Route[] = [
  ...OAUTH_ROUTES,
  ...INTEGRATION_ROUTES,
  ...AUTHORIZATION_ROUTES,
  ...DIRECTORY_ROUTES,
  ...ROUTING_ROUTES,
  ...ARCHITECT_ROUTES,
];
