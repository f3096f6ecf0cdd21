/**
 * What every resource of the Tencent emulator shares: its error and parameter types, the context
 * its action handlers are given, and the checks of common parameters (required, paging, names).
 */
import type { DeliveryEngine } from '../../../testing/delivery.js';
import { TENCENT_MAX_LIMIT } from '../client.js';

/** One received event, as SearchLog answers it (SearchLogResult) plus its receipt time in ms. */
export interface LogEntry {
  time: number;
  Timestamp: string;
  Message: string;
  Source: string;
  Type: string;
  RuleIds: string;
  Subject: string;
  Region: string;
  Status: string;
}

/** An error the emulator answers in `Response.Error` (its Code and Message). */
export class TcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

// EventBusName / RuleName: 2-60 letters, digits, underscores and hyphens; starts with a letter; ends with a letter or digit.
const NAME_RULE = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

export const isoNow = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

/** The handlers of a set of actions: the request's parameters and region to its Response fields. */
export type Actions = Record<string, (p: Params, ctx: { region: string }) => Row>;

/**
 * What the action handlers read and write: the state of the request's region (see
 * `TencentEmulator.regions`), the tags and delivery log, and the emulator's clock.
 */
export interface EmulatorContext {
  readonly buses: Map<string, Row>;
  readonly rules: Map<string, Row>;
  readonly targets: Map<string, Row>;
  readonly connections: Map<string, Row>;
  readonly transformations: Map<string, Row & { Transformations: unknown[] }>;
  readonly eventLog: Map<string, LogEntry[]>;
  readonly resourceTags: Map<string, Map<string, string>>;
  readonly delivery: DeliveryEngine;
  /** How long a connector stays `Creating` before `Active`. */
  readonly connectionReadyMs: number;
  now(): number;
}

/** MissingParameter for the first of `names` the request leaves out (or sends null or empty). */
export function required(p: Params, ...names: string[]): void {
  for (const n of names) {
    if (p[n] === undefined || p[n] === null || p[n] === '')
      throw new TcError('MissingParameter', `The parameter \`${n}\` is missing.`);
  }
}

/** One page of `rows` by Limit (default 20) and Offset, reversed for Order DESC, after their checks. */
export function page(p: Params, rows: Row[]): { TotalCount: number; items: Row[] } {
  const limit = p.Limit === undefined ? 20 : Number(p.Limit);
  const offset = p.Offset === undefined ? 0 : Number(p.Offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > TENCENT_MAX_LIMIT) {
    throw new TcError(
      'InvalidParameterValue.Limit',
      'The `Limit` value does not conform to the specification.',
    );
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new TcError(
      'InvalidParameterValue.Offset',
      'The `Offset` value does not conform to the specification.',
    );
  if (p.OrderBy !== undefined && p.OrderBy !== 'AddTime' && p.OrderBy !== 'ModTime') {
    throw new TcError(
      'InvalidParameterValue.OrderBy',
      'The `OrderBy` value does not conform to the specification.',
    );
  }
  if (p.Order !== undefined && p.Order !== 'ASC' && p.Order !== 'DESC') {
    throw new TcError(
      'InvalidParameterValue.Order',
      'The `Order` value does not conform to the specification.',
    );
  }
  const sorted = [...rows];
  if (p.Order === 'DESC') sorted.reverse();
  return { TotalCount: rows.length, items: sorted.slice(offset, offset + limit) };
}

/** A TargetDescription/ConnectionDescription whose ResourceDescription is a six-segment QCS string. */
export function qcsDescription(value: unknown, field: 'TargetDescription' | 'ConnectionDescription'): Row {
  const desc = value as Row | undefined;
  if (typeof desc?.ResourceDescription !== 'string' || !desc.ResourceDescription.startsWith('qcs::')) {
    throw new TcError(
      `InvalidParameterValue.${field}`,
      `The \`${field}\` value does not conform to the specification.`,
    );
  }
  return desc;
}

/** An EventBusName or RuleName per {@link NAME_RULE}; throws `code` when not. */
export function checkName(value: unknown, code: string, field: string): void {
  if (typeof value !== 'string' || !NAME_RULE.test(value)) {
    throw new TcError(
      code,
      `The value of \`${field}\` is invalid: 2-60 letters, digits, underscores and hyphens, starting with a letter and ending with a letter or digit.`,
    );
  }
}

/** A Description: up to 200 characters. */
export function checkDescription(value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || value.length > 200)) {
    throw new TcError(
      'InvalidParameterValue.Description',
      'The `Description` value does not conform to the specification (up to 200 characters).',
    );
  }
}
