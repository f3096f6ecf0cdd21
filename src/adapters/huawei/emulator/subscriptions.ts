/**
 * The emulator's subscriptions: CreateSubscription (one source with a checked filter rule, 1-5
 * targets whose connection_id names a connection, names unique per project), Show, List,
 * UpdateSubscription, Delete and OperateSubscription (200 with failed_count and events).
 */
import { randomUUID } from 'node:crypto';
import { validateHuaweiFilterRule } from '../routing.js';
import {
  bad,
  checkDescription,
  EgError,
  getRow,
  type Handlers,
  type HuaweiEmulatorScope,
  NAME,
  now,
  page,
  type Row,
  requestBody,
  unique,
} from './common.js';

/** Subscriptions one ExecuteSubscriptionOperation may name ("a maximum of 10 subscriptions are supported in batch"). */
const OPERATION_BATCH_MAX = 10;

/**
 * A target's `connection_id` names a connection of the project ("ID of the connection used by the
 * event target", API reference). Neither the API reference nor the error code table documents the
 * answer for one that names none: the emulator answers 400 EG.00513000 ("invalid parameters", the
 * table's parameter error), in the emulator's error body.
 */
export function checkTargetConnection(emu: HuaweiEmulatorScope, target: Row): void {
  const id = target.connection_id;
  if (id === undefined || id === null || id === '') return;
  if (typeof id !== 'string' || !emu.connections.has(id))
    throw new EgError(
      400,
      'EG.00513000',
      `invalid parameters: connection_id ${String(id)} of target ${String(target.name)} names no connection`,
    );
}

/** The shape of a subscription's parts: exactly one source with a valid filter rule, 1-5 targets. */
function checkSubscriptionParts(sources: unknown, targets: unknown): void {
  if (!Array.isArray(sources) || sources.length !== 1)
    throw bad('Bad request: a subscription has exactly one source');
  const s = sources[0] as Row;
  if (typeof s.name !== 'string' || typeof s.provider_type !== 'string' || typeof s.filter !== 'object') {
    throw bad('Bad request: sources[0] needs name, provider_type and filter');
  }
  // The filter rule's documented rules and limits (eg-ug-018), as routing.ts states them.
  const problems = validateHuaweiFilterRule(s.filter);
  if (problems.length) throw bad(`Bad request: sources[0].${problems.join('; ')}`);
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > 5)
    throw bad('Bad request: a subscription has 1-5 targets');
  for (const t of targets as Row[]) {
    if (
      typeof t.name !== 'string' ||
      typeof t.provider_type !== 'string' ||
      typeof t.transform !== 'object' ||
      t.transform === null
    ) {
      throw bad('Bad request: each target needs name, provider_type and transform');
    }
  }
}

/** The subscription operations over the current project's subscriptions. */
export function subscriptionHandlers(
  emu: HuaweiEmulatorScope,
): Pick<
  Handlers,
  | 'CreateSubscription'
  | 'ShowSubscription'
  | 'ListSubscriptions'
  | 'UpdateSubscription'
  | 'DeleteSubscription'
  | 'OperateSubscription'
> {
  return {
    CreateSubscription: (_id, req) => {
      const b = requestBody(req);
      if (typeof b.name !== 'string' || !NAME.test(b.name))
        throw bad(
          'Bad request: name must be 1-128 letters, digits, periods, underscores or hyphens, starting with a letter or digit',
        );
      checkDescription(b.description);
      const channel = getRow(
        emu.channels,
        typeof b.channel_id === 'string' ? b.channel_id : undefined,
        'channel',
      );
      checkSubscriptionParts(b.sources, b.targets);
      for (const t of b.targets as Row[]) checkTargetConnection(emu, t);
      // "The value must be unique under a tenant" (CreateSubscription, name): per project, as
      // channel, source and connection names are; not per channel.
      unique(emu.subscriptions, b.name);
      const row = {
        id: randomUUID(),
        name: b.name,
        description: b.description ?? '',
        channel_id: channel.id,
        channel_name: channel.name,
        type: 'EVENT',
        status: 'CREATED',
        used: [],
        sources: (b.sources as Row[]).map((s) => ({ id: randomUUID(), ...s })),
        targets: (b.targets as Row[]).map((t) => ({ id: randomUUID(), ...t })),
        created_time: now(),
        updated_time: now(),
      };
      emu.subscriptions.set(row.id, row);
      return { status: 200, body: row };
    },
    ShowSubscription: (id) => ({ status: 200, body: getRow(emu.subscriptions, id, 'subscription') }),
    ListSubscriptions: (_id, _req, q) => {
      const channel = q.get('channel_id');
      return page(
        q,
        [...emu.subscriptions.values()].filter((s) => !channel || s.channel_id === channel),
      );
    },
    UpdateSubscription: (id, req) => {
      const row = getRow(emu.subscriptions, id, 'subscription');
      const b = requestBody(req);
      checkDescription(b.description);
      if (b.sources !== undefined || b.targets !== undefined)
        checkSubscriptionParts(b.sources ?? row.sources, b.targets ?? row.targets);
      if (b.targets !== undefined) for (const t of b.targets as Row[]) checkTargetConnection(emu, t);
      if (b.description !== undefined) row.description = b.description;
      // "If no ID is specified, the system automatically generates one" (API reference): every
      // part keeps an id that UpdateSubscriptionSource / UpdateSubscriptionTarget can address.
      for (const k of ['sources', 'targets'])
        if (b[k] !== undefined) row[k] = (b[k] as Row[]).map((p) => ({ id: randomUUID(), ...p }));
      row.updated_time = now();
      return { status: 200, body: row };
    },
    DeleteSubscription: (id) => {
      getRow(emu.subscriptions, id, 'subscription');
      emu.subscriptions.delete(id!);
      return { status: 204 };
    },
    // ExecuteSubscriptionOperation answers 200 with `failed_count` and `events`, one per
    // subscription named: `{subscription_id}`, plus `error_code` and `error_msg` when that one
    // failed (API reference, response body and example). One that does not exist fails alone,
    // with the not-found code, and the others are still switched.
    OperateSubscription: (_id, req) => {
      const b = requestBody(req);
      if (b.operation !== 'ENABLE' && b.operation !== 'DISABLE')
        throw bad('Bad request: operation must be ENABLE or DISABLE');
      const ids = b.subscription_ids ?? [];
      if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))
        throw bad('Bad request: subscription_ids must be an array of strings');
      if (ids.length > OPERATION_BATCH_MAX)
        throw bad(`Bad request: at most ${OPERATION_BATCH_MAX} subscriptions in one operation`);
      const events = (ids as string[]).map((sid) => {
        const row = emu.subscriptions.get(sid);
        if (!row)
          return {
            subscription_id: sid,
            error_code: 'EG.00014040',
            error_msg: `Not request resource found: subscription ${sid}`,
          };
        row.status = b.operation === 'ENABLE' ? 'ENABLED' : 'DISABLED';
        return { subscription_id: sid };
      });
      return { status: 200, body: { failed_count: events.filter((e) => 'error_code' in e).length, events } };
    },
  };
}
