import {
  hasPermission,
  pageRolePermissions,
  permissionPolicies,
  policyPermissions,
  type PermissionPolicy,
} from '@kaa/core';
import { DIVISIONS, GROUPS, LEGACY_TABLE, QUEUES, SEEDED_ROLE, USERS } from '../seed.js';
import { type Env, iso } from './clock.js';
import { sandboxTables, type SandboxTable } from './datatables.js';
import { type OAuthClient, registeredClients } from './oauth-clients.js';

/**
 * How the sandbox org starts: `seeded` (the default every older test uses: browser OAuth clients, a role with the page's
 * permissions granted to the agents' group, voice transcription on for every queue, the legacy data table) or `empty`
 * (only people, groups, the home division, queues with transcription off and the two client-credentials clients an
 * admin creates by hand: what `kaa provision apply` starts from).
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ genesys: { org: 'empty' } });
 * ```
 */
export type OrgStart = 'seeded' | 'empty';

/** A queue's settings that the admin API reads and writes. */
export interface OrgQueue {
  id: string;
  name: string;
  divisionId: string;
  enableTranscription: boolean;
  enableAudioMonitoring: boolean;
  dateModified: string;
}

/** A group and its members. */
export interface OrgGroup {
  id: string;
  name: string;
  memberIds: string[];
  version: number;
}

/** A role: name and permission policies. */
export interface OrgRole {
  id: string;
  name: string;
  description?: string;
  policies: PermissionPolicy[];
}

/** One grant of a role to a user or a group in a division. */
export interface OrgGrant {
  subjectId: string;
  subjectType: 'PC_USER' | 'PC_GROUP';
  roleId: string;
  divisionId: string;
  madeAt: string;
}

/** An integration (Interaction Widget, AudioHook Monitor) with its current configuration. */
export interface OrgIntegration {
  id: string;
  name: string;
  typeId: string;
  intendedState: 'ENABLED' | 'DISABLED';
  notes: string;
  config: {
    name: string;
    version: number;
    properties: Record<string, unknown>;
    advanced: Record<string, unknown>;
    notes: string;
    credentials: Record<string, { id: string; name?: string }>;
  };
}

/** A stored integration credential (its fields are never returned). */
export interface OrgCredential {
  id: string;
  name: string;
  typeName: string;
  fields: Record<string, string>;
}

/** Org-wide features an admin cannot switch on through the API (licences). */
export interface OrgFeatures {
  /** Speech and Text Analytics / CX 3: without it a queue's voice transcription cannot be turned on. */
  voiceTranscription: boolean;
}

/** Options of {@link Org}. */
export interface OrgOptions {
  start: OrgStart;
  pageOrigin?: string;
  redirectUris: readonly string[];
  koreOrigin: string;
  features?: Partial<OrgFeatures>;
}

/**
 * The configuration side of the sandbox's Genesys org, as the admin API (`/api/v2/oauth`, `/integrations`,
 * `/authorization`, `/groups`, `/routing/queues`, `/flows/datatables`) reads and writes it: OAuth clients, integrations
 * and credentials, roles and their grants, groups, divisions, queue settings, Architect data tables and licensed
 * features. The login server reads the clients, the notification hub the effective permissions. It survives the
 * driver's `reset()` (like an org's configuration survives its conversations); `restore()` goes back to the start.
 *
 * @example
 * ```ts
 * const org = new Org(env, { start: 'seeded', redirectUris: [], koreOrigin });
 * org.hasPermission(USERS.agent.id, 'conversation:transcription:view', DIVISIONS.home.id); // true
 * ```
 */
export class Org {
  readonly clients = new Map<string, OAuthClient>();
  readonly queues = new Map<string, OrgQueue>();
  readonly groups = new Map<string, OrgGroup>();
  readonly divisions = new Map<string, { id: string; name: string; home: boolean }>();
  readonly roles = new Map<string, OrgRole>();
  grants: OrgGrant[] = [];
  readonly integrations = new Map<string, OrgIntegration>();
  readonly credentials = new Map<string, OrgCredential>();
  tables: SandboxTable[] = [];
  features: OrgFeatures = { voiceTranscription: true };

  constructor(
    private readonly env: Env,
    private readonly options: OrgOptions,
  ) {
    this.restore();
  }

  /** Back to how the org started (`options.start`). */
  restore(): void {
    const seeded = this.options.start === 'seeded';
    const now = iso(this.env.now());
    this.clients.clear();
    for (const [id, c] of registeredClients(this.options.pageOrigin, this.options.redirectUris, this.options.start))
      this.clients.set(id, { ...c, dateCreated: now, dateModified: now });
    this.divisions.clear();
    this.divisions.set(DIVISIONS.home.id, { ...DIVISIONS.home, home: true });
    this.groups.clear();
    for (const g of Object.values(GROUPS))
      this.groups.set(g.id, { id: g.id, name: g.name, memberIds: [...g.memberIds], version: 1 });
    this.queues.clear();
    for (const q of Object.values(QUEUES))
      this.queues.set(q.id, {
        id: q.id,
        name: q.name,
        divisionId: DIVISIONS.home.id,
        enableTranscription: seeded,
        enableAudioMonitoring: false,
        dateModified: now,
      });
    this.roles.clear();
    this.grants = [];
    this.integrations.clear();
    this.credentials.clear();
    if (seeded) {
      this.roles.set(SEEDED_ROLE.id, {
        id: SEEDED_ROLE.id,
        name: SEEDED_ROLE.name,
        description: 'What the kaa page needs (seeded sandbox org)',
        policies: permissionPolicies(pageRolePermissions('legacy')),
      });
      this.grants.push({
        subjectId: GROUPS.agents.id,
        subjectType: 'PC_GROUP',
        roleId: SEEDED_ROLE.id,
        divisionId: DIVISIONS.home.id,
        madeAt: now,
      });
    }
    const tables = sandboxTables(this.options.koreOrigin);
    // the empty org has no legacy "agentAssist" table, only an unrelated one
    this.tables = seeded ? tables : tables.filter((t) => t.table.id !== LEGACY_TABLE.id);
    this.features = { voiceTranscription: true, ...this.options.features };
  }

  /** The groups a user belongs to. */
  groupsOf(userId: string): OrgGroup[] {
    return [...this.groups.values()].filter((g) => g.memberIds.includes(userId));
  }

  /** The grants that apply to a user: their own and their groups'. */
  grantsOf(userId: string): OrgGrant[] {
    const groupIds = new Set(this.groupsOf(userId).map((g) => g.id));
    return this.grants.filter((g) => g.subjectId === userId || groupIds.has(g.subjectId));
  }

  /** The user's effective permissions (in any division, or in `divisionId` only). */
  permissionsOf(userId: string, divisionId?: string): string[] {
    const out = new Set<string>();
    for (const g of this.grantsOf(userId)) {
      if (divisionId !== undefined && g.divisionId !== divisionId && g.divisionId !== '*') continue;
      const role = this.roles.get(g.roleId);
      if (role) for (const p of policyPermissions(role.policies)) out.add(p);
    }
    return [...out].sort();
  }

  /** True when the user holds `permission` in `divisionId` (through any of their grants). */
  hasPermission(userId: string, permission: string, divisionId?: string): boolean {
    return hasPermission(this.permissionsOf(userId, divisionId), permission);
  }

  /** The division of the queue with this id (home when unknown). */
  divisionOfQueue(queueId: string): string {
    return this.queues.get(queueId)?.divisionId ?? DIVISIONS.home.id;
  }

  /** The display name of a user or group subject, or undefined. */
  subjectName(subjectId: string): string | undefined {
    return Object.values(USERS).find((u) => u.id === subjectId)?.name ?? this.groups.get(subjectId)?.name;
  }
}
