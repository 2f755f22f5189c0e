import { KaaError, lintBotTable, toKaaError } from '@kaa/core';
import type { Command, CommandContext } from '../command.js';
import { requireDataTable, tableClient } from '../connections.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../output/output.js';
import { desiredRows } from '../table/desired-rows.js';
import { lintOptions } from '../table/lint-options.js';
import { planTable, type TableChange } from '../table/plan-table.js';

/**
 * `kaa table plan|apply [--dry-run]`: diffs the config's bots against the live Kore Data Table (kore-client) and
 * applies the difference. Refuses to apply when core's `lintBotTable` finds an error in the resulting table.
 *
 * @example
 * ```sh
 * kaa table plan && kaa table apply
 * ```
 */
export const tableCommand: Command = {
  name: 'table',
  summary: 'Diff the config against the live Kore Data Table (plan) and apply it',
  options: { 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  help: `Usage: kaa table plan [--json]
       kaa table apply [--dry-run] [--json]

plan    Reads the live rows of dataTable.name (with dataTable.adminApp, else readApp) and lists the rows to
        insert, update (with the changed columns) and delete so that the table holds exactly one row per bot of
        the config. Rows are matched by BotId. The POST/PUT bodies are shown with ClientSecret and RSPrivatePem
        masked. Exit 0 whether or not there are changes.
apply   Runs the plan: deletes, then updates (PUT, by sys_Id), then inserts (POST). Before writing anything it
        lints the resulting table with the page's routing rules and refuses (exit 1) when it finds an error,
        e.g. a QueueIdentifier listed by two bots. --dry-run shows the plan and the lint result only.
        A second "kaa table plan" after apply is empty.
`,
  async run(ctx) {
    const action = ctx.positionals[0];
    if (action !== 'plan' && action !== 'apply')
      throw new KaaError(
        'E_CLI_USAGE',
        `"kaa table" needs "plan" or "apply" (got "${action ?? ''}"). Run "kaa table --help".`,
      );
    const loaded = await ctx.load();
    const table = requireDataTable(loaded, '"kaa table"').name;
    const desired = await desiredRows(loaded);
    const client = await tableClient(loaded, ctx.io, 'admin');
    const done = ctx.out.progress(`reading Kore Data Table "${table}"`);
    const live = await client.queryAll(table, undefined, { fresh: true }).finally(done);
    const plan = planTable(desired, live);
    const findings = lintBotTable(
      desired.map((d) => d.row),
      lintOptions(loaded),
    );
    const errors = findings.filter((f) => f.severity === 'error');
    const summary = count(plan.changes);

    if (action === 'plan' || ctx.values['dry-run'] === true) {
      report(ctx.out, table, plan.changes, findings, { applied: false, refused: false, dryRun: action === 'apply' });
      return action === 'apply' && errors.length > 0 ? EXIT.findings : EXIT.ok;
    }
    if (errors.length > 0) {
      report(ctx.out, table, plan.changes, findings, { applied: false, refused: true, dryRun: false });
      return EXIT.findings;
    }
    await applyPlan(ctx, client, table, plan);
    report(ctx.out, table, plan.changes, findings, { applied: true, refused: false, dryRun: false });
    if (!ctx.out.json) ctx.out.line(`Applied: ${summary}.`);
    return EXIT.ok as ExitCode;
  },
};

async function applyPlan(
  ctx: CommandContext,
  client: Awaited<ReturnType<typeof tableClient>>,
  table: string,
  plan: ReturnType<typeof planTable>,
): Promise<void> {
  for (const [i, change] of plan.changes.entries()) {
    const done = ctx.out.progress(`${change.action} ${change.botId}`);
    try {
      const data = plan.data.get(i);
      if (change.action === 'delete' && change.query) await client.delete(table, change.query);
      else if (change.action === 'update' && change.query && data) await client.update(table, change.query, data);
      else if (change.action === 'insert' && data) await client.insert(table, data);
    } catch (e) {
      const error = toKaaError(e, 'E_INTERNAL', `Writing Kore Data Table "${table}" failed unexpectedly.`);
      throw new KaaError(
        error.code,
        `${error.message} ${i} of ${plan.changes.length} changes were applied before this failure (the ${change.action} of BotId ${change.botId} failed); run "kaa table plan" to see what is left.`,
        {
          details: { ...error.details, applied: i, total: plan.changes.length },
          cause: e,
        },
      );
    } finally {
      done();
    }
  }
}

function count(changes: readonly TableChange[]): string {
  const n = (a: TableChange['action']) => changes.filter((c) => c.action === a).length;
  return `${n('insert')} to insert, ${n('update')} to update, ${n('delete')} to delete`;
}

function report(
  out: Output,
  table: string,
  changes: readonly TableChange[],
  findings: ReturnType<typeof lintBotTable>,
  state: { applied: boolean; refused: boolean; dryRun: boolean },
): void {
  if (out.json) {
    out.result({ table, ...state, changes, findings });
    return;
  }
  const c = out.colour;
  if (changes.length === 0) out.line(c.green(`Kore Data Table "${table}" matches the config: no changes.`));
  else {
    out.line(c.bold(`Kore Data Table "${table}": ${count(changes)}`));
    for (const change of changes) {
      const sign =
        change.action === 'insert'
          ? c.green('+ insert')
          : change.action === 'update'
            ? c.yellow('~ update')
            : c.red('- delete');
      out.line(
        `${sign} ${change.bot ? `bot "${change.bot}" ` : ''}BotId ${change.botId} QueueIdentifier "${change.queueIdentifier}"${change.sysId ? ` (sys_Id ${change.sysId})` : ''}`,
      );
      if (change.changed) out.line(`    changed: ${change.changed.join(', ')}`);
      if (change.body) {
        const verb =
          change.action === 'insert' ? `POST /api/public/tables/${table}` : `PUT /api/public/tables/${table}`;
        out.line(
          c.dim(`    ${verb} ${JSON.stringify({ ...(change.query && { query: change.query }), data: change.body })}`),
        );
      }
      if (change.action === 'delete' && change.query)
        out.line(c.dim(`    DELETE /api/public/tables/${table} ${JSON.stringify({ query: change.query })}`));
    }
  }
  const errors = findings.filter((f) => f.severity === 'error');
  for (const f of findings)
    out.line(
      `${f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : 'info'} ${f.code}: ${f.message}`,
    );
  if (state.refused)
    out.line(
      c.red(
        `Refused: the resulting table has ${errors.length} error(s) (see above); nothing was written. Fix the bots in the config and run "kaa table plan" again.`,
      ),
    );
  else if (state.dryRun)
    out.line(
      errors.length > 0 ? c.red('Dry run: apply would refuse (errors above).') : 'Dry run: nothing was written.',
    );
}
