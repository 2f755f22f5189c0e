import { KaaError, toKaaError } from '@kaa/core';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { openAdminSession } from '../genesys-admin/admin-session.js';
import type { Output } from '../output/output.js';
import { readOrg } from '../provision/org-reads.js';
import { planProvision, requireProvision, type ApplyState, type ProvisionChange } from '../provision/provision-plan.js';

/**
 * `kaa provision plan|apply [--dry-run]`: the Genesys side of the setup through the Platform API, with the admin
 * client's client-credentials token — the agents' OAuth client, the Interaction Widget, the page's role and its
 * grants, voice transcription on the mapped queues, the AudioHook Monitor integration and the legacy data table.
 * A plan first; apply converges and a second plan is empty. Nothing is deleted.
 *
 * @example
 * ```sh
 * kaa provision plan && kaa provision apply
 * ```
 */
export const provisionCommand: Command = {
  name: 'provision',
  summary: 'Diff the config against the Genesys org (plan) and create or update what is missing (apply)',
  options: { 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  help: `Usage: kaa provision plan [--json]
       kaa provision apply [--dry-run] [--json]

Signs in with genesys.adminClient (a Client Credentials OAuth client with the scopes oauth, integrations,
authorization, routing, groups:readonly, users:readonly; architect in legacy mode) and compares the
"provision" section of the config with the Genesys org:
  OAuth client        the agents' browser client "provision.oauthClient.name" (default provision.name), or
                      genesys.oauthClientId when given: grant (widget.grant), exactly the page's redirect URIs
                      ("kaa url" lists them) and scopes
  Interaction Widget  "provision.widget.name": the Application URL of "kaa url", sandbox flags, permissions,
                      group filter (provision.groups), queue filter (the mapped queues by default),
                      communication types, advanced lifecycle JSON, enabled
  Role                "provision.role.name" with exactly the page's permissions, granted to provision.groups in
                      provision.divisions (default: the home division)
  Queues              voice transcription on for the mapped queues (provision.transcription); audio monitoring
                      on for the queues of bots with audiohookEnabled
  AudioHook Monitor   with audiohookEnabled bots and an "audiohook" section: the values "kaa audiohook" prints
  Legacy data table   with botSource kind genesys-legacy-table: the table the page reads
Objects are found again by name. kaa never deletes anything; extra redirect URIs or scopes on its own OAuth
client are replaced by the exact list.

plan    Lists what apply would create or update, field by field (secrets named, never shown), and the
        mapped queues left with voice transcription off. Exit 0 whether or not there are changes.
apply   Runs the plan in order (OAuth client, role, grants, queues, widget, AudioHook, legacy table). When a step
        fails, it says how many were applied; the next apply finishes the rest. A second plan is empty.
        --dry-run shows the plan only.
`,
  async run(ctx) {
    const action = ctx.positionals[0];
    if (action !== 'plan' && action !== 'apply')
      throw new KaaError(
        'E_CLI_USAGE',
        `"kaa provision" needs "plan" or "apply" (got "${action ?? ''}"). Run "kaa provision --help".`,
      );
    const loaded = await ctx.load();
    requireProvision(loaded);
    const session = await openAdminSession(loaded, ctx.io, { who: '"kaa provision"' });
    const reading = ctx.out.progress('reading the Genesys org');
    const org = await readOrg(session, {
      legacyTables: loaded.config.botSource.kind === 'genesys-legacy-table',
    }).finally(reading);
    const plan = await planProvision(loaded, ctx.io, session, org);
    const changes = plan.steps.map((s) => s.change);

    if (action === 'plan' || ctx.values['dry-run'] === true) {
      report(ctx.out, changes, plan.notices, {
        applied: 0,
        dryRun: action === 'apply',
        oauthClientId: plan.oauthClientId,
      });
      return EXIT.ok;
    }
    const state: ApplyState = {};
    for (const [i, step] of plan.steps.entries()) {
      const done = ctx.out.progress(`${step.change.action} ${step.change.object} ${step.change.name}`);
      try {
        await step.run(state);
      } catch (e) {
        const error = toKaaError(e, 'E_INTERNAL', 'Provisioning Genesys failed unexpectedly.');
        const applied = changes.slice(0, i).map((c) => `${c.action} ${c.object} "${c.name}"`);
        throw new KaaError(
          error.code,
          `${error.message} ${i} of ${changes.length} changes were applied before this failure${applied.length > 0 ? ` (${applied.join('; ')})` : ''}; the ${step.change.action} of ${step.change.object} "${step.change.name}" failed. Fix the cause and run "kaa provision apply" again: it finishes the rest.`,
          {
            details: {
              ...error.details,
              applied: i,
              total: changes.length,
              failed: { object: step.change.object, name: step.change.name },
            },
            cause: e,
            secrets: loaded.secrets,
          },
        );
      } finally {
        done();
      }
    }
    report(ctx.out, changes, plan.notices, {
      applied: changes.length,
      dryRun: false,
      oauthClientId: plan.oauthClientId ?? state.oauthClientId,
    });
    return EXIT.ok;
  },
};

function report(
  out: Output,
  changes: readonly ProvisionChange[],
  notices: readonly string[],
  state: { applied: number; dryRun: boolean; oauthClientId: string | undefined },
): void {
  if (out.json) {
    out.result({
      changes,
      notices,
      applied: state.applied,
      dryRun: state.dryRun,
      oauthClientId: state.oauthClientId ?? null,
    });
    return;
  }
  const c = out.colour;
  const verb = state.applied > 0 ? 'Applied' : 'Plan';
  if (changes.length === 0) out.line(c.green('The Genesys org matches the config: no changes.'));
  else out.line(c.bold(`${verb}: ${count(changes)}`));
  for (const ch of changes) {
    const sign =
      ch.action === 'create' ? c.green('+ create') : ch.action === 'grant' ? c.green('+ grant ') : c.yellow('~ update');
    out.line(`${sign} ${ch.object} "${ch.name}"${ch.id ? c.dim(` (${ch.id})`) : ''}`);
    for (const d of ch.detail) out.line(`    ${d}`);
  }
  for (const n of notices) out.line(`${c.yellow('notice')} ${n}`);
  if (state.oauthClientId !== undefined)
    out.line(
      c.dim(`The agents' OAuth client id is ${state.oauthClientId} ("kaa url" uses it as genesys.oauthClientId).`),
    );
  if (state.dryRun) out.line('Dry run: nothing was written.');
}

function count(changes: readonly ProvisionChange[]): string {
  const n = (a: ProvisionChange['action']) => changes.filter((x) => x.action === a).length;
  return `${n('create')} to create, ${n('update')} to update, ${n('grant')} to grant`;
}
