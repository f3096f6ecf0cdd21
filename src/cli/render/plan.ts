/**
 * Plans, apply outcomes and migration reports for people (tables and one line per outcome), and
 * the progress of an apply: a bar on a TTY, one plain line per finished item otherwise.
 */
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { Migration } from '../../core/engine/migrate.js';
import type { ApplyEvent, ApplyOutcome } from '../../core/engine/apply.js';
import { type Plan, type PlanAction, summarize } from '../../core/engine/plan/index.js';
import { redactValue } from '../../core/runtime/redact.js';
import type { Io } from './output.js';

const SYMBOL: Record<PlanAction, string> = {
  create: '+ create',
  update: '~ update',
  replace: '-/+ replace',
  delete: '- delete',
  noop: '  no-op',
  reference: '> reference',
  unsupported: '! unsupported',
  blocked: 'x blocked',
  error: '! error',
};

const short = (v: unknown) => {
  const s = v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(redactValue(v));
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Targets with items in `bad`, each with its count, as `a (2), b (1)`. */
function targetsWith<T extends { target: string }>(items: T[], bad: (i: T) => boolean): string {
  const counts = new Map<string, number>();
  for (const i of items) if (bad(i)) counts.set(i.target, (counts.get(i.target) ?? 0) + 1);
  return [...counts].map(([t, n]) => `${t} (${n})`).join(', ');
}

/** One line per action count, the same numbers `--json` reports in `summary`; then which targets could not be read. */
export function planSummaryLine(plan: Plan): string {
  const c = summarize(plan);
  const unreadable = targetsWith(plan.items, (i) => i.action === 'error');
  return `Plan: ${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete; ${c.noop} unchanged, ${c.reference} reference, ${c.unsupported} unsupported, ${c.blocked} blocked, ${c.error} unreadable.${unreadable ? ` Unreadable on target ${unreadable}.` : ''}`;
}

/** The plan as a table (one row per item and target) plus its summary line. */
export function renderPlan(plan: Plan): string {
  const table = new Table({
    head: ['action', 'target', 'kind', 'name', 'details'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [15, 16, 13, 24, 60],
  });
  for (const i of plan.items) {
    const details = [
      ...(i.changes ?? []).map(
        (c) =>
          `${c.field}: ${short(c.from)} -> ${short(c.to)}${c.mutability === 'replace' ? ' (forces replace)' : ''}`,
      ),
      ...(i.strategy ? [`strategy: ${i.strategy}`] : []),
      ...(i.reason ? [i.reason] : []),
      ...i.warnings.map((w) => `warning: ${w.setting ? `${w.setting} ignored: ` : ''}${w.detail}`),
    ];
    table.push([
      SYMBOL[i.action],
      i.target === i.provider ? i.target : `${i.target}\n(${i.provider})`,
      i.kind,
      i.name,
      details.join('\n'),
    ]);
  }
  return `${table.toString()}\n${planSummaryLine(plan)}`;
}

/** One outcome as one line: status, action, target, kind, name, id, error or reason. */
export function outcomeLine(o: ApplyOutcome): string {
  const status = o.status === 'ok' ? 'ok     ' : o.status === 'failed' ? 'FAILED ' : 'skipped';
  return `${status} ${o.action} ${o.target} ${o.kind} ${o.name}${o.id ? ` (${o.id})` : ''}${o.error ? `: ${o.error.code}: ${o.error.message}` : ''}${o.reason ? `: ${o.reason}` : ''}`;
}

/** Options of {@link renderOutcomes}. */
export interface RenderOutcomesOptions {
  /** What ran: the count line says what it did (`Apply: ... succeeded`, `Destroy: ... deleted`). */
  verb?: 'apply' | 'destroy';
  /** Keys of outcomes already printed (one line per step on a non-TTY): not repeated. */
  printed?: ReadonlySet<string>;
}

/** Outcomes of an apply, one line each (unless already printed), then a count line and the failed targets. */
export function renderOutcomes(outcomes: ApplyOutcome[], options: RenderOutcomesOptions = {}): string {
  const lines = outcomes
    .filter((o) => o.status !== 'unchanged' && !options.printed?.has(o.key))
    .map(outcomeLine);
  const n = (s: ApplyOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  lines.push(
    options.verb === 'destroy'
      ? `Destroy: ${n('ok')} deleted, ${n('failed')} failed, ${n('skipped')} skipped, ${n('unchanged')} left as they were (absent, reference or unsupported).`
      : `Apply: ${n('ok')} succeeded, ${n('failed')} failed, ${n('skipped')} skipped, ${n('unchanged')} unchanged.`,
  );
  const failed = targetsWith(outcomes, (o) => o.status === 'failed' || o.status === 'skipped');
  if (failed) lines.push(`Failed or skipped on target ${failed}.`);
  return lines.join('\n');
}

/** Targets with a failed or skipped outcome (for `--json`). */
export const failedTargets = (outcomes: ApplyOutcome[]): string[] => [
  ...new Set(outcomes.filter((o) => o.status === 'failed' || o.status === 'skipped').map((o) => o.target)),
];

/** The migration report, item by item, with counts. */
export function renderMigration(m: Migration): string {
  const table = new Table({
    head: ['kind', 'name', `${m.from} -> ${m.to}`, 'details'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [13, 24, 20, 70],
  });
  for (const r of m.rows) table.push([r.kind, r.name, r.outcome, r.details.join('\n')]);
  const c = m.counts;
  return `${table.toString()}\nMigration ${m.from} -> ${m.to}: ${c.native} native, ${c.emulated} emulated, ${c.reference} reference, ${c.dropped} dropped, ${c['needs-input']} need input.`;
}

/**
 * Progress reporting: a bar on a TTY, one plain line per finished item otherwise (their keys in
 * `printed`, so the final report does not repeat them), nothing with --json.
 */
export function progressReporter(
  io: Io,
  json: boolean,
): { onEvent: (e: ApplyEvent) => void; stop: () => void; printed: Set<string> } {
  const printed = new Set<string>();
  if (json) return { onEvent: () => {}, stop: () => {}, printed };
  if (io.isTTY && !process.env.NO_PROGRESS) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'applying [{bar}] {value}/{total} {item}',
        hideCursor: true,
        clearOnComplete: true,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onEvent: (e) => {
        if (e.type === 'total') {
          bar.start(e.steps, 0, { item: '' });
          started = true;
        } else if (e.type === 'start')
          bar.update({ item: `${e.step} ${e.item.target} ${e.item.kind} ${e.item.name}` });
        else if (e.type === 'done' && started) bar.increment(e.outcome.action === 'replace' ? 2 : 1);
      },
      stop: () => {
        if (started) bar.stop();
      },
      printed,
    };
  }
  return {
    onEvent: (e) => {
      if (e.type !== 'done') return;
      printed.add(e.outcome.key);
      io.out(outcomeLine(e.outcome));
    },
    stop: () => {},
    printed,
  };
}
