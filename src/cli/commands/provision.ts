/**
 * Declarative commands: plan, apply, destroy, export, migrate and schema. Plans are shown as a
 * table (people) or JSON (machines), every row naming its target; apply shows progress on a TTY
 * and one plain line per step otherwise. Targets are opened one provider each, never shared.
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import {
  invalidArgument,
  isPolybusError,
  PolybusError,
  type ValidationIssue,
} from '../../core/model/errors.js';
import { exportSpec, translateSpec } from '../../core/engine/migrate.js';
import { type ApplyOutcome, applyPlan } from '../../core/engine/apply.js';
import {
  hasChanges,
  type Plan,
  planChanges,
  specProviderIssues,
  summarize,
} from '../../core/engine/plan/index.js';
import type { EventProvider } from '../../core/contract/provider.js';
import { redactValue } from '../../core/runtime/redact.js';
import { analyzeSpec, loadSpec, readSpecText } from '../../core/spec/load.js';
import { itemFor, type Spec, type SpecItem } from '../../core/spec/schema.js';
import { specJsonSchema } from '../../core/spec/json-schema.js';
import { parseYamlInput, yaml } from '../../core/spec/yaml.js';
import { providerNames } from '../../sdk/create.js';
import { openProviders } from '../../sdk/provision.js';
import { type CommandContext, type CommandRunner } from './context.js';
import { type Io, positiveInt, printJson } from '../render/output.js';
import {
  failedTargets,
  progressReporter,
  renderMigration,
  renderOutcomes,
  renderPlan,
} from '../render/plan.js';

export { type OpenProviders, openProviders, type TargetToOpen, targetsToOpen } from '../../sdk/provision.js';
export {
  failedTargets,
  outcomeLine,
  planSummaryLine,
  progressReporter,
  renderMigration,
  renderOutcomes,
  type RenderOutcomesOptions,
  renderPlan,
} from '../render/plan.js';

/**
 * The exit status of an apply, destroy or `migrate --apply` that left items unmet (their intent
 * cannot be carried out on their target) and failed nothing; `--allow-unsupported` makes it 0.
 */
export const EXIT_UNMET = 4;

/** YAML text of a value; the yaml package loads on first use, not with every command. */
const toYaml = (value: unknown): string => yaml().stringify(value);

/** Registers plan/apply/destroy/export/migrate/schema. `setExit` records the exit code. */
export function registerProvisionCommands(
  program: Command,
  io: Io,
  run: CommandRunner,
  setExit: (code: number) => void,
): void {
  const ctx: CommandContext = { io, run, setExit };
  registerPlanCommand(program, ctx);
  registerApplyCommand(program, ctx, 'apply');
  registerApplyCommand(program, ctx, 'destroy');
  registerExportCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerSchemaCommand(program, ctx);
}

interface PlanFlags {
  file: string;
  provider?: string[];
  target?: string[];
  prune?: boolean;
  detailedExitcode?: boolean;
  yes?: boolean;
  concurrency?: number;
  allowUnsupported?: boolean;
  resendSecrets?: boolean;
}

/** The help of `--resend-secrets` (plan, apply). */
const RESEND_SECRETS_HELP =
  'send write-only settings the spec sets (a Kafka password, a secret key in a source detail) again: the provider never returns them, so plan cannot see a change of one (it warns instead)';

/** The options of every command that works from a spec file. */
function withSpec(cmd: Command): Command {
  return cmd
    .requiredOption('-f, --file <spec>', 'spec file (YAML or JSON)')
    .option('-p, --provider <name...>', 'only the targets of these providers')
    .option('-t, --target <id...>', 'only these targets (by id; a target without id: its provider name)')
    .option('--prune', 'also delete children on spec buses that the spec does not declare');
}

/** `polybus plan`. */
function registerPlanCommand(program: Command, ctx: CommandContext): void {
  withSpec(
    program.command('plan').description('show what apply would change (reads live state, changes nothing)'),
  )
    .option('--detailed-exitcode', 'exit 3 when the plan has changes')
    .option('--resend-secrets', RESEND_SECRETS_HELP)
    .action(async (f: PlanFlags, cmd: Command) => ctx.run((json) => planAction(ctx, f, json), cmd));
}

/** Prints the plan (table or JSON); with --detailed-exitcode, exit 3 when it has changes. */
async function planAction({ io, setExit }: CommandContext, f: PlanFlags, json: boolean): Promise<void> {
  const { spec, open, targets } = await prepare(f);
  try {
    const plan = await planChanges(spec, open.providers, {
      prune: Boolean(f.prune),
      targets,
      resendSecrets: Boolean(f.resendSecrets),
    });
    if (json) printJson(io, { plan: plan.items, summary: summarize(plan) });
    else io.out(renderPlan(plan));
    if (f.detailedExitcode && hasChanges(plan)) setExit(3);
  } finally {
    await open.close();
  }
}

/** The help of `--allow-unsupported` (apply, destroy, migrate). */
const ALLOW_UNSUPPORTED_HELP = `exit 0 (not ${EXIT_UNMET}) when some items cannot be carried out on their target (a route, filter, target or setting it cannot express; a blocked delete): they are still listed. Without it, scope such items away with providers: in the spec`;

/** `polybus apply` and `polybus destroy`. */
function registerApplyCommand(program: Command, ctx: CommandContext, name: 'apply' | 'destroy'): void {
  const command = withSpec(
    program
      .command(name)
      .description(
        name === 'apply' ? 'make live state match the spec' : 'delete everything the spec declares',
      ),
  )
    .option('-y, --yes', 'do not ask for confirmation (required when not interactive)')
    .option(
      '--concurrency <n>',
      'items in flight at once (a positive integer)',
      positiveInt('--concurrency'),
      4,
    )
    .option('--allow-unsupported', ALLOW_UNSUPPORTED_HELP);
  if (name === 'apply') command.option('--resend-secrets', RESEND_SECRETS_HELP);
  command.action(async (f: PlanFlags, cmd: Command) =>
    ctx.run((json) => applyAction(ctx, name, f, json), cmd),
  );
}

/**
 * Plans (for destroy: the removal of everything the spec declares), shows the plan, asks (or
 * takes --yes), applies with progress, and reports; Ctrl-C stops it between steps.
 */
async function applyAction(
  ctx: CommandContext,
  name: 'apply' | 'destroy',
  f: PlanFlags,
  json: boolean,
): Promise<void> {
  const { io } = ctx;
  const { spec, open, targets } = await prepare(f);
  let stopListening = () => {};
  try {
    const plan = await planChanges(spec, open.providers, {
      targets,
      prune: Boolean(f.prune),
      destroy: name === 'destroy',
      resendSecrets: Boolean(f.resendSecrets),
    });
    // Ctrl-C from here on (the plan is made; nothing has changed yet): no new step
    // starts, the ones in flight finish, and the outcome is reported (a re-run converges);
    // one that lands after the last step, while reporting, lets the report finish. The
    // handler is in place before the plan is printed, so a Ctrl-C right after it is never
    // Node's default. A second Ctrl-C is Node's default: exit at once.
    const interrupt = new AbortController();
    let applying = true;
    const onSigint = () => {
      if (applying) interrupt.abort(new Error('interrupted (SIGINT)'));
      process.off('SIGINT', onSigint);
    };
    process.on('SIGINT', onSigint);
    stopListening = () => process.off('SIGINT', onSigint);
    if (!json) io.out(renderPlan(plan));
    if (hasChanges(plan) && !f.yes && !(await confirm(io, `${name} these changes?`, name))) {
      throw new PolybusError({
        code: 'InvalidArgument',
        provider: 'polybus',
        operation: name,
        message: `${name} needs confirmation: pass --yes (required when not interactive)`,
      });
    }
    const progress = progressReporter(io, json);
    let outcomes: ApplyOutcome[];
    try {
      outcomes = await applyPlan(plan, open.providers, {
        concurrency: f.concurrency ?? 4,
        onEvent: progress.onEvent,
        signal: interrupt.signal,
      });
    } finally {
      applying = false;
    }
    progress.stop();
    reportApply(
      ctx,
      name,
      plan,
      outcomes,
      progress.printed,
      json,
      interrupt.signal.aborted,
      f.allowUnsupported,
    );
  } finally {
    await open.close();
    stopListening();
  }
}

/** Prints what an apply or destroy did (JSON, or the lines not yet printed) and sets its exit code. */
function reportApply(
  { io, setExit }: CommandContext,
  name: 'apply' | 'destroy',
  plan: Plan,
  outcomes: ApplyOutcome[],
  printed: Set<string>,
  json: boolean,
  interrupted: boolean,
  allowUnsupported?: boolean,
): void {
  const unmet = outcomes.filter((o) => o.unmet);
  if (json)
    printJson(io, {
      plan: plan.items,
      summary: summarize(plan),
      outcomes,
      failedTargets: failedTargets(outcomes),
      unmet: unmet.map((o) => o.key),
    });
  else {
    io.out(renderOutcomes(outcomes, { verb: name, printed }));
    if (unmet.length) io.out(unmetLines(unmet, allowUnsupported));
  }
  // Interrupted: 130 when the interrupt left steps unstarted; a Ctrl-C that landed after
  // the last step had started changed nothing, and the outcomes decide.
  if (interrupted && outcomes.some((o) => o.reason === 'apply was cancelled')) setExit(130);
  else if (outcomes.some((o) => o.status === 'failed' || o.status === 'skipped')) setExit(1);
  else if (unmet.length && !allowUnsupported) setExit(EXIT_UNMET);
}

/** The unmet items, one line each, and their summary line: what was not carried out, and the way out. */
function unmetLines(unmet: ApplyOutcome[], allowed: boolean | undefined): string {
  const lines = unmet.map(
    (o) => `UNMET   ${o.action} ${o.target} ${o.kind} ${o.name}${o.reason ? `: ${o.reason}` : ''}`,
  );
  lines.push(
    `Not carried out: ${unmet.length} item${unmet.length === 1 ? '' : 's'} their target cannot express or that ${unmet.length === 1 ? 'is' : 'are'} blocked${
      allowed
        ? ' (allowed by --allow-unsupported).'
        : `; exit ${EXIT_UNMET}. Scope ${unmet.length === 1 ? 'it' : 'them'} away (providers: on the item) or pass --allow-unsupported.`
    }`,
  );
  return lines.join('\n');
}

interface ExportFlags {
  provider: string;
  output?: string;
  format: string;
}

/** `polybus export`. */
function registerExportCommand(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('write live resources of one provider as a neutral spec')
    .requiredOption('-p, --provider <name>', 'provider to read')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(async (f: ExportFlags, cmd: Command) => ctx.run((json) => exportAction(ctx, f, json), cmd));
}

/** Writes the provider's live resources as a spec (YAML or JSON, redacted), warning of fields it cannot read. */
async function exportAction({ io }: CommandContext, f: ExportFlags, json: boolean): Promise<void> {
  const open = await openProviders([f.provider]);
  try {
    const spec = await exportSpec(open.providers[f.provider]!, {
      onUnreadable: (kind, name, field, detail) =>
        io.err(`warning: ${kind} ${name}: ${field} cannot be read, so it is not in the export: ${detail}`),
    });
    const text =
      json || f.format === 'json' ? JSON.stringify(redactValue(spec), null, 2) : toYaml(redactValue(spec));
    if (f.output) await writeFile(f.output, text);
    else io.out(text);
  } finally {
    await open.close();
  }
}

interface MigrateFlags {
  from: string;
  to: string;
  file?: string;
  apply?: boolean;
  yes?: boolean;
  output?: string;
  verify?: boolean;
  events?: string;
  bus?: string;
  map?: string;
  allowUnsupported?: boolean;
}

/**
 * The reference mapping of `--map <file>` (YAML or JSON): each `from` reference a route carries
 * (a QCS string, a connection id, a URN, an ARN) to the `to` provider's own. Strings only.
 */
async function readReferenceMap(path: string): Promise<Record<string, string>> {
  const value = parseYamlInput(await readSpecText(path), path);
  const issues: { field: string; rule: string }[] = [];
  if (!value || typeof value !== 'object' || Array.isArray(value))
    issues.push({ field: 'map', rule: 'must be a mapping of from-reference: to-reference' });
  else
    for (const [k, v] of Object.entries(value))
      if (typeof v !== 'string' || !v || k === '__proto__')
        issues.push({
          field: `map.${k}`,
          rule: "must map to the target provider's reference (a non-empty string)",
        });
  if (issues.length) throw invalidArgument('polybus', 'migrate', issues);
  return value as Record<string, string>;
}

/** `polybus migrate`. */
function registerMigrateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('migrate')
    .description(
      'export from one provider, translate to another, report what is lost; then plan or apply there',
    )
    .requiredOption('--from <provider>', 'source provider')
    .requiredOption('--to <provider>', 'target provider')
    .option('-f, --file <spec>', 'translate this spec (as seen by --from) instead of exporting live state')
    .option('--apply', 'apply the translated spec on --to')
    .option('-y, --yes', 'with --apply: do not ask for confirmation')
    .option('-o, --output <file>', 'also write the translated spec here')
    .option(
      '--verify',
      'check by behaviour on private emulators: apply both specs, publish --events to both, compare what matched and where it went (exit 1 on any difference)',
    )
    .option(
      '--events <file>',
      'with --verify: the events to publish (one JSON event, a JSON array, or NDJSON)',
    )
    .option('--bus <name>', "with --verify: the bus to publish to (default: the spec's only bus)")
    .option(
      '--map <file>',
      "the target provider's reference for each source reference a route carries (YAML/JSON: from: to); a route with an unmapped reference is held back as needing input",
    )
    .option('--allow-unsupported', `with --apply: ${ALLOW_UNSUPPORTED_HELP}`)
    .action(async (f: MigrateFlags, cmd: Command) => ctx.run((json) => migrateAction(ctx, f, json), cmd));
}

/**
 * Translates the spec (given, or exported from --from) to --to and prints the report and the
 * plan there; with --verify, checks the behaviour on emulators first; with --apply, applies it
 * (not when the check found a difference).
 */
async function migrateAction(ctx: CommandContext, f: MigrateFlags, json: boolean): Promise<void> {
  const { io, setExit } = ctx;
  checkVerifyFlags(f);
  // Loaded on use: the check starts emulators, which nothing else in migrate needs.
  const check = f.verify ? await import('./verify.js') : undefined;
  const events = check ? await check.readVerifyEvents(f.events!) : undefined;
  const given = f.file ? await loadSpec(f.file) : undefined;
  const open = await openProviders(given ? [f.to] : [...new Set([f.from, f.to])], given);
  try {
    const source = given ? specAsSeenBy(given, f.from) : await exportSpec(open.providers[f.from]!);
    const references = f.map ? await readReferenceMap(f.map) : {};
    const migration = translateSpec(source, f.from, open.providers[f.to]!, { references });
    if (f.output) await writeFile(f.output, toYaml(redactValue(migration.spec)));
    const plan = await planChanges(migration.spec, open.providers);
    let outcomes: ApplyOutcome[] | undefined;
    if (!json) io.out(`${renderMigration(migration)}\n\n${renderPlan(plan)}`);
    const verified =
      check && events
        ? await check.verifyOnEmulators({
            source,
            migration,
            events,
            ...(f.bus !== undefined ? { bus: f.bus } : {}),
            ...(given ? { given } : {}),
          })
        : undefined;
    if (check && verified && !json) io.out(`\n${check.renderVerify(verified)}`);
    if (verified?.different) {
      setExit(1);
      if (f.apply && !json)
        io.err(
          'not applied: the translated spec behaves differently (above); run without --verify to apply it anyway',
        );
    }
    if (f.apply && hasChanges(plan) && !verified?.different)
      outcomes = await applyMigration(ctx, f, plan, open.providers, json);
    if (json)
      printJson(io, {
        migration: {
          from: migration.from,
          to: migration.to,
          rows: migration.rows,
          counts: migration.counts,
        },
        spec: migration.spec,
        plan: plan.items,
        summary: summarize(plan),
        ...(verified ? { verify: verified } : {}),
        ...(outcomes ? { outcomes } : {}),
      });
  } finally {
    await open.close();
  }
}

/** --from and --to differ; --events and --bus go with --verify, and --verify needs --events. */
function checkVerifyFlags(f: MigrateFlags): void {
  // Live state onto the same provider translates to itself: nothing to show. A spec (-f) onto the
  // same provider is a copy to another account, and --verify checks it on private emulators.
  if (f.from === f.to && !f.file)
    throw invalidArgument('polybus', 'migrate', [
      {
        field: 'to',
        rule: `--from and --to are both ${f.from}: give two different providers, or -f <spec> to copy a spec to another account of it`,
      },
    ]);
  if (f.verify && !f.events)
    throw invalidArgument('polybus', 'migrate', [
      {
        field: 'events',
        rule: '--verify needs --events <file>: the events to publish on both sides',
      },
    ]);
  if (!f.verify && (f.events || f.bus))
    throw invalidArgument('polybus', 'migrate', [
      { field: f.events ? 'events' : 'bus', rule: 'only with --verify' },
    ]);
}

/** `migrate --apply`: asks (or takes --yes), applies the translated plan on --to and prints the outcomes. */
async function applyMigration(
  { io, setExit }: CommandContext,
  f: MigrateFlags,
  plan: Plan,
  providers: Record<string, EventProvider>,
  json: boolean,
): Promise<ApplyOutcome[]> {
  if (!f.yes && !(await confirm(io, `apply on ${f.to}?`, 'migrate'))) {
    throw new PolybusError({
      code: 'InvalidArgument',
      provider: 'polybus',
      operation: 'migrate',
      message: 'migrate --apply needs confirmation: pass --yes',
    });
  }
  const progress = progressReporter(io, json);
  const outcomes = await applyPlan(plan, providers, { onEvent: progress.onEvent });
  progress.stop();
  const unmet = outcomes.filter((o) => o.unmet);
  if (!json) {
    io.out(renderOutcomes(outcomes, { printed: progress.printed }));
    if (unmet.length) io.out(unmetLines(unmet, f.allowUnsupported));
  }
  if (outcomes.some((o) => o.status !== 'ok' && o.status !== 'unchanged')) setExit(1);
  else if (unmet.length && !f.allowUnsupported) setExit(EXIT_UNMET);
  return outcomes;
}

/** `polybus schema`. */
function registerSchemaCommand(program: Command, ctx: CommandContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of spec files (for editor completion)')
    .action(async (_o: unknown, cmd: Command) => ctx.run(() => schemaAction(ctx), cmd));
}

/** Prints the JSON Schema of spec files. */
async function schemaAction({ io }: CommandContext): Promise<void> {
  io.out(JSON.stringify(specJsonSchema(), null, 2));
}

/** Loads the spec and checks it fully (schema, references, every target's rules) before any request. */
async function prepare(f: PlanFlags) {
  const analysis = analyzeSpec(await readSpecText(f.file), f.file);
  const data = analysis.data as { targets?: { provider?: unknown; id?: unknown }[] };
  const declared = Array.isArray(data.targets)
    ? data.targets.map((t) => ({ provider: String(t?.provider), id: String(t?.id ?? t?.provider) }))
    : [];
  const known = providerNames();
  const unknownTargets: ValidationIssue[] = declared.flatMap((t, i) =>
    known.includes(t.provider)
      ? []
      : [
          {
            field: `targets.${i}.provider`,
            rule: `${t.provider} is not a provider polybus knows (one of ${known.join(', ')})`,
            location: analysis.locate(`targets.${i}.provider`),
          },
        ],
  );
  const unknownFlags = [
    ...(f.provider ?? [])
      .filter((n) => !declared.some((t) => t.provider === n))
      .map((n) => ({
        field: 'provider',
        rule: `--provider ${n} is not the provider of any target of ${f.file} (${[...new Set(declared.map((t) => t.provider))].join(', ')})`,
      })),
    ...(f.target ?? [])
      .filter((n) => !declared.some((t) => t.id === n))
      .map((n) => ({
        field: 'target',
        rule: `--target ${n} is not a target id of ${f.file} (${declared.map((t) => t.id).join(', ')})`,
      })),
  ];
  const names = [
    ...new Set(
      declared
        .filter((t) => known.includes(t.provider))
        .filter((t) => !f.provider || f.provider.includes(t.provider))
        .filter((t) => !f.target || f.target.includes(t.id))
        .map((t) => t.id),
    ),
  ];
  if (unknownTargets.length || unknownFlags.length)
    throw invalidArgument('polybus', 'spec', [...analysis.issues, ...unknownTargets, ...unknownFlags]);
  const open = await openProviders(names, analysis.spec);
  const issues = [...analysis.issues, ...specProviderIssues(analysis.data, open.providers, analysis.locate)];
  if (issues.length || !analysis.spec) {
    await open.close();
    throw invalidArgument('polybus', 'spec', issues);
  }
  return { spec: analysis.spec, open, targets: names };
}

/**
 * Asks on a terminal; false elsewhere. Ctrl-C at the prompt is a `Cancelled` error that says
 * nothing was changed (the CLI exits 130 for it).
 */
async function confirm(io: Io, question: string, operation: string): Promise<boolean> {
  if (!io.isTTY || !process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    if (/^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())) return true;
    // Asked and answered no: a decision, not a usage error (exit 1, as Terraform does).
    throw new PolybusError({
      code: 'Cancelled',
      provider: 'polybus',
      operation,
      message: `${operation} not confirmed: nothing was changed`,
    });
  } catch (err) {
    if (isPolybusError(err)) throw err;
    if ((err as { code?: string }).code !== 'ABORT_ERR') throw err;
    throw new PolybusError({
      code: 'Cancelled',
      provider: 'polybus',
      providerCode: 'SIGINT',
      operation,
      message: `${operation} cancelled at the prompt (Ctrl-C): nothing was changed`,
      cause: err,
    });
  } finally {
    rl.close();
  }
}

/** A spec as one provider sees it: its overrides applied, items restricted to others left out. */
export function specAsSeenBy(spec: Spec, provider: string): Spec {
  const view = <T extends SpecItem>(items: T[]) =>
    items.map((i) => itemFor(i, provider)).filter((i) => i !== undefined) as T[];
  return {
    version: 1,
    targets: [{ provider }],
    buses: view(spec.buses),
    sources: view(spec.sources),
    connections: view(spec.connections),
    integrations: view(spec.integrations),
  };
}
