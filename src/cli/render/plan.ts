/**
 * Plans, apply outcomes and migration reports for people (tables and one line per outcome), and
 * the progress of an apply: a bar on a TTY, one plain line per finished item otherwise.
 */
import type CliProgress from 'cli-progress';
import { lazyRequire } from '../../core/runtime/lazy.js';
import type { Migration } from '../../core/engine/migrate.js';
import type { ApplyEvent, ApplyOutcome } from '../../core/engine/apply.js';
import { type Plan, type PlanAction, summarize } from '../../core/engine/plan/index.js';
import { redactValue } from '../../core/runtime/redact.js';
import type { Io } from './output.js';
import { fittedTable, outputWidth } from './width.js';

/** cli-progress loads when a bar is drawn (a TTY), not with every command. */
const loadProgress = lazyRequire<typeof CliProgress>('cli-progress');

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

const asText = (v: unknown) =>
  v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(redactValue(v));

/** Characters of context kept before the first difference of two long values. */
const CONTEXT = 10;

/**
 * A change's two sides, each at most `max` characters, cut so that the part that differs shows:
 * when both are long and share a beginning, both start a little before the first difference
 * (`...` marks what was cut), so `uin/1000...` -> `uin/1000...` never hides the change.
 */
export function changeSides(from: unknown, to: unknown, max = 40): [string, string] {
  const a = asText(from);
  const b = asText(to);
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  const start = a.length <= max && b.length <= max ? 0 : Math.max(0, same - CONTEXT);
  const cut = (s: string) => {
    const head = start > 0 ? '...' : '';
    const body = s.slice(start);
    return body.length + head.length > max
      ? `${head}${body.slice(0, max - head.length - 3)}...`
      : `${head}${body}`;
  };
  return [cut(a), cut(b)];
}

/** `field: from -> to`, showing where they differ. */
export function changeText(c: { field: string; from?: unknown; to?: unknown; mutability?: string }): string {
  const [from, to] = changeSides(c.from, c.to);
  // A no-break space keeps "(forces replace)" on one line when the cell wraps (fittedTable prints it as a space).
  return `${c.field}: ${from} -> ${to}${c.mutability === 'replace' ? ' (forces\u00a0replace)' : ''}`;
}

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

/**
 * The plan as a table (one row per item and target) plus its summary line, fitted to `width`
 * (the terminal's, `COLUMNS`, or 100 off a terminal).
 */
export function renderPlan(plan: Plan, width = outputWidth()): string {
  const rows: string[][] = [];
  for (const i of plan.items) {
    const details = [
      ...(i.changes ?? []).map(changeText),
      ...(i.strategy ? [`strategy: ${i.strategy}`] : []),
      ...(i.reason ? [i.reason] : []),
      ...i.warnings.map((w) => `warning: ${w.setting ? `${w.setting} ignored: ` : ''}${w.detail}`),
    ];
    rows.push([
      SYMBOL[i.action],
      i.target === i.provider ? i.target : `${i.target}\n(${i.provider})`,
      i.kind,
      i.name,
      details.join('\n'),
    ]);
  }
  const table = fittedTable(['action', 'target', 'kind', 'name', 'details'], rows, width, {
    min: [15, 9, 13, 12, 25],
  });
  // The summary stays one line, whatever the width: scripts and people grep for it.
  return `${table}\n${planSummaryLine(plan)}`;
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

/** `Huawei: Huawei retry: ...` (a provider's prefix over a rule that names it) said once. */
export const onePrefix = (text: string): string => text.replace(/\b([A-Z][\w.-]*): \1 /g, '$1 ');

/** The migration report, item by item, with counts, fitted to `width`. */
export function renderMigration(m: Migration, width = outputWidth()): string {
  const rows = m.rows.map((r) => [r.kind, r.name, r.outcome, r.details.map(onePrefix).join('\n')]);
  const table = fittedTable(['kind', 'name', `${m.from} -> ${m.to}`, 'details'], rows, width, {
    min: [13, 12, 13, 25],
  });
  const c = m.counts;
  return `${table}\nMigration ${m.from} -> ${m.to}: ${c.native} native, ${c.emulated} emulated, ${c.reference} reference, ${c.dropped} dropped, ${c['needs-input']} need input.`;
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
    const cliProgress = loadProgress();
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
