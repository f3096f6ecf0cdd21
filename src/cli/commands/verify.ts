/**
 * `polybus migrate --verify`: runs the migration's behaviour check on private, in-process
 * emulators (one set per side), whatever the environment points at. It must never publish to a
 * provider the environment configures: only the emulators it starts itself are used.
 */
import { createReadStream } from 'node:fs';
import { invalidArgument } from '../../core/model/errors.js';
import type { Migration } from '../../core/engine/migrate.js';
import { type CloudEvent, prepareEvent } from '../../core/model/events.js';
import type { Spec } from '../../core/spec/schema.js';
import { type SideBehaviour, verifyMigration, type VerifyReport } from '../../core/engine/verify.js';
import { type RunningEmulators, startEmulators } from '../../testing/all.js';
import { openProviders } from '../../sdk/provision.js';
import { providerNames } from '../../sdk/create.js';
import { isSecretEnvName, isSecretField } from '../../core/runtime/redact.js';
import { readEvents } from './publish.js';
import { fittedTable, outputWidth, wrapText } from '../render/width.js';
import { checkReadable } from '../render/output.js';

/** Most events a check publishes: it compares behaviour, it is not a bulk publish. */
export const VERIFY_MAX_EVENTS = 1000;

/** Reads and validates the events of a check; any bad event is a usage error naming its line. */
export async function readVerifyEvents(file: string): Promise<CloudEvent[]> {
  await checkReadable(file, 'migrate --verify', 'events');
  const events: CloudEvent[] = [];
  for await (const item of readEvents(createReadStream(file))) {
    const rule = (field: string, message: string) =>
      invalidArgument('polybus', 'migrate --verify', [
        { field: `events ${item.where}: ${field}`, rule: message },
      ]);
    if (item.parseError) throw rule('event', item.parseError);
    const p = prepareEvent(item.value);
    if (!p.ok) throw rule(p.field, p.message);
    events.push(p.event);
    if (events.length > VERIFY_MAX_EVENTS)
      throw rule('events', `a check publishes at most ${VERIFY_MAX_EVENTS} events`);
  }
  return events;
}

/** The bus to publish to: the one given, or the spec's only bus. */
function busOf(spec: Spec, bus: string | undefined): string {
  if (bus !== undefined) return bus;
  if (spec.buses.length === 1) return spec.buses[0]!.name;
  throw invalidArgument('polybus', 'migrate --verify', [
    {
      field: 'bus',
      rule: `the spec has ${spec.buses.length} buses (${spec.buses.map((b) => b.name).join(', ') || 'none'}): name one with --bus`,
    },
  ]);
}

/**
 * Names of settings that say where or as whom a provider runs (endpoints, hosts, regions,
 * accounts, profiles, credentials): never carried into a check, which runs on emulators only.
 */
const PLACE_OR_IDENTITY =
  /endpoint|host|url|uri|origin|authority|region|location|profile|project|subscription|resource.?group|account|tenant|client|credential|key|secret|token|passw/i;

/**
 * The user's own settings that change how a provider translates (`POLYBUS_<PROVIDER>_*` of a
 * bundled provider, e.g. `POLYBUS_AZURE_CASE_INSENSITIVE_MATCH`), without any that names a place
 * or an identity: the emulators' environment is laid over them, so it always wins.
 */
export function translationEnv(env: Record<string, string | undefined>): Record<string, string> {
  const prefixes = providerNames().map((n) => `POLYBUS_${n.toUpperCase()}_`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const p = prefixes.find((x) => k.startsWith(x));
    if (v === undefined || !p || isSecretEnvName(k) || PLACE_OR_IDENTITY.test(k.slice(p.length))) continue;
    out[k] = v;
  }
  return out;
}

/** A spec target's options that change translation (as {@link translationEnv}), for the check's provider. */
function translationOptions(specs: (Spec | undefined)[], provider: string): Record<string, unknown> {
  const t = specs.flatMap((s) => s?.targets ?? []).find((x) => x.provider === provider);
  return Object.fromEntries(
    Object.entries(t?.options ?? {}).filter(([k]) => !isSecretField(k) && !PLACE_OR_IDENTITY.test(k)),
  );
}

/** The deliveries in flight on one provider's emulator, settled. */
const settle = async (emu: RunningEmulators, provider: string) => emu.started[provider]?.settle();

/**
 * Applies `source` (the spec as `from` sees it) and `migration.spec` to two private sets of
 * emulators, publishes `events` to the bus on both, and compares what happened.
 */
export async function verifyOnEmulators(options: {
  source: Spec;
  migration: Migration;
  events: CloudEvent[];
  bus?: string;
  /** The spec as the user gave it: its targets' options that change translation are honoured. */
  given?: Spec;
  /** The user's environment: only its translation settings are read ({@link translationEnv}). */
  env?: Record<string, string | undefined>;
}): Promise<VerifyReport> {
  const { source, migration } = options;
  const bus = busOf(source, options.bus);
  const a = await startEmulators();
  const b = await startEmulators();
  try {
    // The emulators' own environment over the user's translation settings only: no credential,
    // endpoint, region or account of the user's is read.
    const settings = translationEnv(options.env ?? process.env);
    const specs = [options.given, source, migration.spec];
    const open = (provider: string, env: Record<string, string>) => {
      const only: Spec = {
        version: 1,
        targets: [{ provider, options: translationOptions(specs, provider) }],
        buses: [],
        sources: [],
        connections: [],
        integrations: [],
      };
      return openProviders([provider], only, { ...settings, ...env });
    };
    const from = await open(migration.from, a.env);
    const to = await open(migration.to, b.env);
    try {
      return await verifyMigration({
        from: { provider: from.providers[migration.from]!, spec: source },
        to: { provider: to.providers[migration.to]!, spec: migration.spec },
        bus,
        events: options.events,
        settle: async () => {
          await settle(a, migration.from);
          await settle(b, migration.to);
        },
      });
    } finally {
      await from.close();
      await to.close();
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

const cell = (s: SideBehaviour): string =>
  s.published
    ? [
        `matched: ${s.matched.join(', ') || '(none)'}`,
        ...s.receivers.map(
          (r) => `-> ${r.receiver}: ${r.status}${r.attempts > 1 ? ` (${r.attempts} attempts)` : ''}`,
        ),
      ].join('\n')
    : `refused: ${s.refusal ?? ''}`;

/** The behaviour check for people: one row per event, then the differences and notes; fits `width`. */
export function renderVerify(r: VerifyReport, width = outputWidth()): string {
  const rows = r.rows.map((row) => [
    row.event,
    cell(row.from),
    cell(row.to),
    row.differences.length ? 'NO' : 'yes',
  ]);
  const table = fittedTable(['event', r.from, r.to, 'same?'], rows, width, { min: [12, 20, 20, 7] });
  const lines = [
    table,
    `Behaviour on bus ${r.bus}: ${r.same} of ${r.rows.length} events the same on ${r.from} and ${r.to}${r.different ? `, ${r.different} different` : ''}.`,
  ];
  for (const row of r.rows) for (const d of row.differences) lines.push(`  ${row.event}: ${d}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${table}\n${wrapText(lines.slice(1).join('\n'), width)}`;
}
