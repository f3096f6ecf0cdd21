/**
 * What the Huawei emulator's resource files share: the row and handler types, the project state,
 * EventGrid's error bodies and timestamps, and the body, paging, uniqueness and lookup helpers.
 */
import type { LoopbackRequest, ScopedState } from '../../../testing/loopback.js';
import type { DeliveryEngine } from '../../../testing/delivery.js';
import type { HuaweiOperation } from '../actions.js';

export type Row = Record<string, unknown>;
/** One operation's handler: the first path id (after the resource), the request, its query. */
export type Handler = (
  id: string | undefined,
  req: LoopbackRequest,
  q: URLSearchParams,
) => { status: number; body?: unknown };
/** Every operation of polybus's catalog (actions.ts), and channel PutEvents, with its handler. */
export type Handlers = Record<HuaweiOperation | 'PutEvents', Handler>;

/** One project's resources (EventGrid keeps them per project). */
export interface ProjectState {
  channels: Map<string, Row>;
  sources: Map<string, Row>;
  connections: Map<string, Row>;
  subscriptions: Map<string, Row>;
}

/**
 * What the resource handlers see of the emulator: the resources of the project being served
 * (read at call time, inside the request's scope), and the delivery log.
 */
export interface HuaweiEmulatorScope {
  readonly projects: ScopedState<ProjectState>;
  readonly channels: Map<string, Row>;
  readonly sources: Map<string, Row>;
  readonly connections: Map<string, Row>;
  readonly subscriptions: Map<string, Row>;
  readonly delivery: DeliveryEngine;
}

export const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
export const serializedBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

/** An EventGrid error: the HTTP status, `error_code` and `error_msg` of the answer. */
export class EgError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const bad = (msg: string) => new EgError(400, 'EG.00014000', msg);
export const notFound = (what: string) =>
  new EgError(404, 'EG.00014040', `Not request resource found: ${what}`);

// Channel and connection names: letters, digits, ., _, -; start with a letter or digit; not `default`.
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** UTC timestamps as the documents' examples show them: `2021-12-09 09:00:00` (seed 002). */
export function huaweiTimestamp(ms: number = Date.now()): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');
}
export const now = () => huaweiTimestamp();

/** The request body as a JSON object (400 when it is not one). */
export function requestBody(req: LoopbackRequest): Row {
  try {
    const v = JSON.parse(req.body.toString('utf8') || '{}') as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Row;
  } catch {
    throw bad('Bad request: body is not a JSON object');
  }
}

/** A List answer: `name`, `fuzzy_name` and `provider_type` filters, then offset/limit paging. */
export function page(q: URLSearchParams, rows: Row[]): { status: number; body: unknown } {
  const offset = Number(q.get('offset') ?? 0);
  const limit = Number(q.get('limit') ?? 15);
  if (!Number.isInteger(offset) || offset < 0) throw bad('Bad request: offset must be >= 0');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('Bad request: limit must be 1-1000');
  const name = q.get('name');
  // fuzzy_name: the name contains the value (case-insensitive, like a SQL LIKE '%value%').
  const fuzzy = q.get('fuzzy_name')?.toLowerCase();
  const providerType = q.get('provider_type');
  const filtered = rows.filter(
    (r) =>
      (!name || r.name === name) &&
      (!fuzzy || String(r.name).toLowerCase().includes(fuzzy)) &&
      (!providerType || r.provider_type === providerType),
  );
  const items = filtered.slice(offset, offset + limit);
  return { status: 200, body: { total: filtered.length, size: items.length, items } };
}

/**
 * Refuses a name already taken in `map`: channel, source, connection and subscription names are
 * each "unique under a tenant" (the create APIs' `name`), so per project.
 */
export function unique(map: Map<string, Row>, name: unknown): void {
  if ([...map.values()].some((r) => r.name === name))
    throw new EgError(400, 'EG.00513001', `Bad request: name ${String(name)} is duplicated`);
}

/** Refuses a description over 255 characters. */
export function checkDescription(v: unknown): void {
  if (v !== undefined && (typeof v !== 'string' || v.length > 255))
    throw bad('Bad request: description must be at most 255 characters');
}

/** The row `id` of `map` (404 EG.00014040 naming `what` when unknown). */
export function getRow<T extends Row>(map: Map<string, T>, id: string | undefined, what: string): T {
  const row = id ? map.get(id) : undefined;
  if (!row) throw notFound(`${what} ${id ?? ''}`);
  return row;
}
