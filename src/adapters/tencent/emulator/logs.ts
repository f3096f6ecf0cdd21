/**
 * The per-bus event log of the Tencent emulator, as SearchLog and DescribeLogTagValue read it: its
 * entries, the documented LogFilter operators, and paging by Page and Limit.
 */
import {
  type Actions,
  type EmulatorContext,
  type LogEntry,
  type Params,
  required,
  type Row,
  TcError,
} from './common.js';

export type { LogEntry };

type LogField = Exclude<keyof LogEntry, 'time'>;
const LOG_FIELDS = new Set<LogField>([
  'Timestamp',
  'Message',
  'Source',
  'Type',
  'RuleIds',
  'Subject',
  'Region',
  'Status',
]);

/** LogFilter / LogFilters (seed 001 data types). */
interface LogFilterParam {
  Key?: string;
  Operator?: string;
  Value?: string;
  Type?: string;
  Filters?: LogFilterParam[];
}

const numberOrText = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
/** `like` uses `*` and `%` as wildcards; without one it is a substring test. */
const likeMatches = (value: string, pattern: string) =>
  /[*%]/.test(pattern)
    ? new RegExp(
        `^${pattern
          .split(/[*%]/)
          .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(value)
    : value.includes(pattern);
const inRange = (value: string, range: string) => {
  const [lo, hi] = range.split(',').map((x) => numberOrText(x.trim()));
  const v = numberOrText(value);
  return lo !== undefined && hi !== undefined && v >= lo && v <= hi;
};
/** The documented operators: eq, neq, like, not like, lt, lte, gt, gte, range, norange. */
const LOG_OPERATORS: Record<string, (value: string, arg: string) => boolean> = {
  eq: (v, a) => v === a,
  neq: (v, a) => v !== a,
  like: (v, a) => likeMatches(v, a),
  'not like': (v, a) => !likeMatches(v, a),
  lt: (v, a) => numberOrText(v) < numberOrText(a),
  lte: (v, a) => numberOrText(v) <= numberOrText(a),
  gt: (v, a) => numberOrText(v) > numberOrText(a),
  gte: (v, a) => numberOrText(v) >= numberOrText(a),
  range: (v, a) => inRange(v, a),
  norange: (v, a) => !inRange(v, a),
};

function logConditionMatches(f: LogFilterParam, e: LogEntry): boolean {
  const op = LOG_OPERATORS[String(f.Operator ?? 'eq')];
  if (!op || !f.Key || !LOG_FIELDS.has(f.Key as LogField))
    throw new TcError(
      'InvalidParameterValue.Filters',
      'The `Filter` value does not conform to the specification.',
    );
  const value = f.Key === 'Timestamp' ? String(e.time) : e[f.Key as LogField];
  if (f.Key === 'RuleIds') return e.RuleIds.split(',').some((id) => op(id, String(f.Value ?? '')));
  return op(value, String(f.Value ?? ''));
}

/** A LogFilter: its own condition (when it has a Key) and its Filters, joined by its Type (AND/OR). */
function logFilterMatches(f: LogFilterParam, e: LogEntry): boolean {
  const parts: boolean[] = [];
  if (f.Key !== undefined) parts.push(logConditionMatches(f, e));
  for (const inner of f.Filters ?? []) parts.push(logConditionMatches(inner, e));
  if (parts.length === 0) return true;
  return String(f.Type ?? 'AND').toUpperCase() === 'OR' ? parts.some(Boolean) : parts.every(Boolean);
}

/** The bus a log action reads: SearchLog/DescribeLogTagValue document a bare ResourceNotFound. */
function logBus(emu: EmulatorContext, p: Params): Row {
  required(p, 'EventBusId');
  const bus = emu.buses.get(String(p.EventBusId));
  if (!bus) throw new TcError('ResourceNotFound', 'The resource does not exist.');
  return bus;
}

/** StartTime/EndTime (ms), Page (from 1), Limit, Filter: the log entries they select. */
function selectLog(emu: EmulatorContext, p: Params): { entries: LogEntry[]; page: number; limit: number } {
  const bus = logBus(emu, p);
  required(p, 'StartTime', 'EndTime', 'Page', 'Limit');
  for (const field of ['StartTime', 'EndTime', 'Page', 'Limit']) {
    const v = p[field];
    if (!Number.isInteger(v) || (v as number) < (field === 'Page' || field === 'Limit' ? 1 : 0)) {
      throw new TcError(
        field === 'Limit' ? 'InvalidParameterValue.Limit' : 'InvalidParameterValue',
        `The \`${field}\` value does not conform to the specification.`,
      );
    }
  }
  const start = p.StartTime as number;
  const end = p.EndTime as number;
  const filters = (p.Filter ?? []) as LogFilterParam[];
  if (!Array.isArray(filters))
    throw new TcError(
      'InvalidParameterValue.Filters',
      'The `Filter` value does not conform to the specification.',
    );
  const entries = (emu.eventLog.get(String(bus.EventBusId)) ?? []).filter(
    (e) => e.time >= start && e.time <= end && filters.every((f) => logFilterMatches(f, e)),
  );
  return { entries, page: p.Page as number, limit: p.Limit as number };
}

/** The event log actions. */
export const logActions = (emu: EmulatorContext): Actions => ({
  SearchLog: (p) => {
    const { entries, page, limit } = selectLog(emu, p);
    if (p.OrderBy !== undefined && p.OrderBy !== 'asc' && p.OrderBy !== 'desc')
      throw new TcError(
        'InvalidParameterValue.OrderBy',
        'The `OrderBy` value does not conform to the specification.',
      );
    const fields = (
      Array.isArray(p.OrderFields) && p.OrderFields.length > 0 ? p.OrderFields : ['Timestamp']
    ) as string[];
    const direction = p.OrderBy === 'asc' ? 1 : -1; // desc (latest first) unless asc
    // Ties keep arrival order, reversed for desc: within one millisecond the later event is later.
    const sorted = (direction < 0 ? [...entries].reverse() : [...entries]).sort((a, b) => {
      for (const f of fields) {
        const x = f === 'Timestamp' ? a.time : String(a[f as LogField] ?? '');
        const y = f === 'Timestamp' ? b.time : String(b[f as LogField] ?? '');
        if (x < y) return -direction;
        if (x > y) return direction;
      }
      return 0;
    });
    return {
      Total: entries.length,
      Limit: limit,
      Page: page,
      Results: sorted.slice((page - 1) * limit, page * limit).map(({ time, ...result }) => result),
    };
  },
  DescribeLogTagValue: (p) => {
    required(p, 'GroupField');
    const field = String(p.GroupField);
    if (!LOG_FIELDS.has(field as LogField))
      throw new TcError(
        'InvalidParameterValue',
        'The `GroupField` value does not conform to the specification.',
      );
    const { entries, page, limit } = selectLog(emu, p);
    const values = [
      ...new Set(
        entries.flatMap((e) => (field === 'RuleIds' ? e.RuleIds.split(',') : [e[field as LogField]])),
      ),
    ].filter((v) => v !== '');
    return { Results: values.slice((page - 1) * limit, page * limit) };
  },
});
