/**
 * `polybus filter test`: says whether an event matches a spec integration's filter (neutral, or
 * the provider's native one through that provider's local evaluator), locally, with the reason, and (with --provider) whether that provider can express the filter exactly and what
 * its native pattern says about the same event. It never sends a request to any provider.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { invalidArgument, PolybusError } from '../../core/model/errors.js';
import { CloudEventSchema, type Filter, matches, SpecFilterSchema } from '../../core/model/filter.js';
import { issuesOf } from '../../core/runtime/parse.js';
import { prepareEvent } from '../../core/model/events.js';
import { nativeFilterIn, routingProblems } from '../../core/model/routing.js';
import { itemFor } from '../../core/spec/schema.js';
import { loadSpec } from '../../core/spec/load.js';
import { type Io, printJson } from '../render/output.js';
import { PROVIDERS } from '../../adapters/registry.js';
import type { NativeRouting } from '../../core/contract/definition.js';

/** Where each provider's native filter escape hatch lives in `extensions.<provider>` (capability row filter.native). */
const NATIVE_FILTER_FIELD: Record<string, string> = Object.fromEntries(
  PROVIDERS.flatMap((p) => (p.nativeFilterField ? [[p.name, p.nativeFilterField]] : [])),
);

/** Each provider's translator and native evaluator, loaded only when asked for (pure modules, no SDK). */
const NATIVE: Record<string, () => Promise<NativeRouting>> = Object.fromEntries(
  PROVIDERS.map((p) => [p.name, () => p.routing()]),
);

/** What `filter test` reports. */
export interface FilterTestResult {
  integration: string;
  /** The neutral filter; absent when the integration carries a provider's native filter instead. */
  filter?: Filter;
  /** The provider's native filter the result comes from, when the integration has no neutral one. */
  native?: { provider: string; field: string; filter: unknown };
  /** What the local evaluation could or could not do, in words. */
  note?: string;
  matched: boolean;
  reason: string;
  provider?: {
    name: string;
    expressible: boolean;
    problems: string[];
    native?: unknown;
    nativeMatched?: boolean;
    nativeReason?: string;
  };
}

/** Reads an event file: one CloudEvent in JSON form; errors name the field. */
async function readEvent(path: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new PolybusError({
      code: 'InvalidArgument',
      provider: 'polybus',
      operation: 'filter test',
      message: `cannot read event ${path}: ${(err as Error).message}`,
      cause: err,
    });
  }
  // The same event publish accepts: `id` and `time` are filled in when absent, as publish does.
  const prepared = prepareEvent(parsed);
  if (prepared.ok)
    parsed = { ...(parsed as Record<string, unknown>), id: prepared.event.id, time: prepared.event.time };
  const issues = issuesOf(CloudEventSchema, parsed);
  if (issues.length)
    throw invalidArgument(
      'polybus',
      'filter test',
      issues.map((i) => ({ ...i, field: `event.${i.field}` })),
    );
  return parsed as Record<string, unknown>;
}

/** Evaluates a spec integration's filter against an event file, locally. */
export async function testFilter(o: {
  file: string;
  integration: string;
  event: string;
  provider?: string;
}): Promise<FilterTestResult> {
  const spec = await loadSpec(o.file);
  const raw = spec.integrations.find((i) => i.name === o.integration);
  if (!raw)
    throw invalidArgument('polybus', 'filter test', [
      {
        field: 'integration',
        rule: `${o.file} has no integration named ${o.integration} (has: ${spec.integrations.map((i) => i.name).join(', ') || 'none'})`,
      },
    ]);
  if (o.provider && !NATIVE[o.provider])
    throw invalidArgument('polybus', 'filter test', [
      { field: 'provider', rule: `${o.provider} is not one of ${Object.keys(NATIVE).join(', ')}` },
    ]);
  // The item as the provider sees it (its overrides merged), else as declared.
  const item = o.provider ? itemFor(raw, o.provider) : raw;
  if (!item)
    throw invalidArgument('polybus', 'filter test', [
      { field: 'provider', rule: `integration ${o.integration} is restricted to other providers` },
    ]);
  if (item.filter === undefined) return testNativeFilter(o, item, await readEvent(o.event));
  const parsed = SpecFilterSchema.safeParse(item.filter);
  if (!parsed.success)
    throw invalidArgument(
      'polybus',
      'filter test',
      parsed.error.issues.map((i) => ({
        field: ['filter', ...i.path.map(String)].join('.'),
        rule: i.message,
      })),
    );
  const filter = parsed.data;
  const event = await readEvent(o.event);
  const local = matches(filter, event);
  const result: FilterTestResult = { integration: o.integration, filter, ...local };
  if (o.provider) {
    const native = await NATIVE[o.provider]!();
    const problems = routingProblems(native.translator, { filter });
    const t = native.translator.translateFilter(filter);
    result.provider = {
      name: o.provider,
      expressible: !problems.length,
      problems: problems.map((p) => p.rule),
    };
    if (t.ok) {
      result.provider.native = t.native;
      if (native.evaluate) {
        const n = native.evaluate(t.native, event);
        result.provider.nativeMatched = n.matched;
        result.provider.nativeReason = n.reason;
      }
    }
  }
  return result;
}

/**
 * An integration with no neutral filter: its provider's native filter (the escape hatch), evaluated
 * by polybus's local copy of that provider's evaluator (the one the emulator routes with), said so.
 */
async function testNativeFilter(
  o: { integration: string; provider?: string },
  item: { extensions?: unknown },
  event: Record<string, unknown>,
): Promise<FilterTestResult> {
  const found = Object.keys(NATIVE_FILTER_FIELD).filter(
    (p) =>
      (!o.provider || o.provider === p) && nativeFilterIn(item, p, NATIVE_FILTER_FIELD[p]!) !== undefined,
  );
  if (found.length !== 1)
    throw invalidArgument('polybus', 'filter test', [
      found.length
        ? {
            field: 'provider',
            rule: `integration ${o.integration} has no neutral filter, only native ones (${found.join(', ')}): choose one with --provider`,
          }
        : {
            field: 'filter',
            rule: `integration ${o.integration} has no neutral filter and no native one (${
              o.provider && !NATIVE_FILTER_FIELD[o.provider]
                ? `${o.provider} has no native filter`
                : Object.entries(NATIVE_FILTER_FIELD)
                    .filter(([p]) => !o.provider || p === o.provider)
                    .map(([p, f]) => `extensions.${p}.${f}`)
                    .join(', ')
            }): nothing to evaluate`,
          },
    ]);
  const provider = found[0]!;
  const field = NATIVE_FILTER_FIELD[provider]!;
  const filter = nativeFilterIn(item, provider, field);
  const native = await NATIVE[provider]!();
  const problems = native.validate?.(filter) ?? [];
  if (problems.length)
    throw invalidArgument(
      'polybus',
      'filter test',
      problems.map((rule) => ({ field: `extensions.${provider}.${field}`, rule })),
    );
  const r = native.evaluate!(filter, event);
  return {
    integration: o.integration,
    native: { provider, field, filter },
    note: `no neutral filter: the native ${provider} filter extensions.${provider}.${field} was evaluated with polybus's local ${provider} evaluator (the emulator's), not the neutral one; it cannot be translated to another provider`,
    matched: r.matched,
    reason: r.reason,
  };
}

/** Registers `polybus filter test`. */
export function registerFilterCommands(
  program: Command,
  io: Io,
  run: (fn: (json: boolean) => Promise<void>, cmd: Command) => Promise<void>,
  setExit: (code: number) => void = () => undefined,
): void {
  const filter = program.command('filter').description('work with integration filters locally');
  filter
    .command('test')
    .description(
      'say whether an event (a CloudEvent in JSON) matches a spec integration, locally, with the reason',
    )
    .requiredOption('-f, --file <spec>', 'spec file (YAML or JSON)')
    .requiredOption('-i, --integration <name>', 'the integration in the spec')
    .requiredOption('-e, --event <file>', 'event file: one CloudEvent in JSON form')
    .option(
      '-p, --provider <name>',
      'also translate the filter for this provider and evaluate its native form',
    )
    .action(
      async (o: { file: string; integration: string; event: string; provider?: string }, cmd: Command) =>
        run(async (json) => {
          const r = await testFilter(o);
          // As grep does: 0 match, 1 no match, 2 an error (set by the runner).
          if (!r.matched) setExit(1);
          if (json) return printJson(io, r);
          io.out(`${r.matched ? 'match' : 'no match'}: ${r.reason}`);
          if (r.note) io.out(r.note);
          if (!r.provider) return;
          const p = r.provider;
          if (!p.expressible) {
            io.out(`${p.name}: cannot express this filter exactly (it would not be applied):`);
            for (const problem of p.problems) io.out(`  - ${problem}`);
            return;
          }
          io.out(`${p.name}: native filter ${JSON.stringify(p.native)}`);
          if (p.nativeMatched !== undefined)
            io.out(`${p.name}: ${p.nativeMatched ? 'match' : 'no match'}: ${p.nativeReason}`);
        }, cmd),
    );
}
