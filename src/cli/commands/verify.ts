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
}): Promise<VerifyReport> {
  const { source, migration } = options;
  const bus = busOf(source, options.bus);
  const a = await startEmulators();
  const b = await startEmulators();
  try {
    // Only the emulators' own environment: no credential or endpoint of the user's is read.
    const from = await openProviders([migration.from], undefined, a.env);
    const to = await openProviders([migration.to], undefined, b.env);
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
