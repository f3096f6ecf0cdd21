/**
 * EventBridge buses (JSON 1.1, X-Amz-Target AWSEvents.<Action>): CreateEventBus (partner buses
 * through EventSourceName, of a partner event source the account was offered), DescribeEventBus,
 * UpdateEventBus, ListEventBuses (both with CreationTime/LastModifiedTime), DeleteEventBus.
 */
import { AwsError, ebInvalid } from './errors.js';
import { type AwsScopeState, type EmulatedBus, epochSeconds, eventBus } from './state.js';
import { busTags } from './tags.js';

/** The bus settings CreateEventBus and UpdateEventBus answer with. */
const BUS_SETTINGS = ['Description', 'KmsKeyIdentifier', 'DeadLetterConfig', 'LogConfig'] as const;

function busArn(s: AwsScopeState, name: string): string {
  return `arn:aws:events:${s.region}:${s.account}:event-bus/${name}`;
}

/** The settings CreateEventBus and UpdateEventBus take, checked as the API model states them. */
function busSettings(b: Record<string, unknown>): Partial<EmulatedBus> {
  const out: Partial<EmulatedBus> = {};
  if (b.Description !== undefined) {
    if (typeof b.Description !== 'string' || b.Description.length > 512)
      throw ebInvalid('Description must be at most 512 characters');
    out.Description = b.Description;
  }
  if (b.KmsKeyIdentifier !== undefined) {
    if (typeof b.KmsKeyIdentifier !== 'string' || b.KmsKeyIdentifier.length > 2048)
      throw ebInvalid('KmsKeyIdentifier must be at most 2048 characters');
    out.KmsKeyIdentifier = b.KmsKeyIdentifier;
  }
  if (b.DeadLetterConfig !== undefined) {
    const arn = (b.DeadLetterConfig as { Arn?: unknown } | null)?.Arn;
    if (typeof arn !== 'string' || arn.length < 1 || arn.length > 1600)
      throw ebInvalid('DeadLetterConfig.Arn must be 1-1600 characters');
    out.DeadLetterConfig = { Arn: arn };
  }
  if (b.LogConfig !== undefined) {
    const l = (b.LogConfig ?? {}) as { IncludeDetail?: unknown; Level?: unknown };
    if (l.IncludeDetail !== undefined && l.IncludeDetail !== 'NONE' && l.IncludeDetail !== 'FULL')
      throw ebInvalid('LogConfig.IncludeDetail must be NONE or FULL');
    if (l.Level !== undefined && !['OFF', 'ERROR', 'INFO', 'TRACE'].includes(String(l.Level)))
      throw ebInvalid('LogConfig.Level must be OFF, ERROR, INFO or TRACE');
    out.LogConfig = {
      ...(l.IncludeDetail !== undefined ? { IncludeDetail: String(l.IncludeDetail) } : {}),
      ...(l.Level !== undefined ? { Level: String(l.Level) } : {}),
    };
  }
  return out;
}

/** CreateEventBus. */
export function createEventBus(s: AwsScopeState, b: Record<string, unknown>) {
  const name = b.Name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 256 || !/^[/.\-_A-Za-z0-9]+$/.test(name)) {
    throw new AwsError(
      'ValidationException',
      'Name must be 1-256 characters of letters, digits, . - _ and /.',
      400,
    );
  }
  if (name.includes('/') && !b.EventSourceName)
    throw new AwsError('ValidationException', 'Only partner event buses may contain /.', 400);
  if (b.EventSourceName !== undefined && b.EventSourceName !== name)
    throw new AwsError(
      'ValidationException',
      'Event bus name must match the event source name of a partner event bus.',
      400,
    );
  // A partner bus matches a partner event source the partner created for this account and region
  // (EventBridge API Reference, CreateEventBus: EventSourceName "the partner event source that
  // the new event bus will be matched with"); naming none is ResourceNotFoundException.
  if (b.EventSourceName !== undefined && !s.partnerSources.has(String(b.EventSourceName)))
    throw new AwsError(
      'ResourceNotFoundException',
      `Event source ${String(b.EventSourceName)} does not exist.`,
      400,
    );
  if (s.buses.has(name))
    throw new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`, 400);
  if (s.buses.size >= 100)
    throw new AwsError('LimitExceededException', 'The event bus quota has been reached.', 400);
  const now = epochSeconds();
  const bus: EmulatedBus = {
    Name: name,
    Arn: busArn(s, name),
    Tags: busTags(b.Tags),
    CreationTime: now,
    LastModifiedTime: now,
    ...busSettings(b),
  };
  s.buses.set(name, bus);
  return {
    EventBusArn: bus.Arn,
    ...Object.fromEntries(BUS_SETTINGS.filter((k) => bus[k] !== undefined).map((k) => [k, bus[k]])),
  };
}

/** DescribeEventBus (without its tags). */
export function describeEventBus(s: AwsScopeState, b: Record<string, unknown>) {
  const { Tags: _t, ...bus } = eventBus(s, b.Name);
  return bus;
}

/** UpdateEventBus (the settings, in place). */
export function updateEventBus(s: AwsScopeState, b: Record<string, unknown>) {
  const bus = eventBus(s, b.Name);
  // UpdateEventBus sets the bus's settings as sent: one left out goes back to its default (the
  // API reference: without KmsKeyIdentifier, EventBridge uses an AWS owned key).
  const settings = busSettings(b);
  for (const k of BUS_SETTINGS) delete bus[k];
  Object.assign(bus, settings, { LastModifiedTime: epochSeconds() });
  return {
    Arn: bus.Arn,
    Name: bus.Name,
    ...Object.fromEntries(BUS_SETTINGS.filter((k) => bus[k] !== undefined).map((k) => [k, bus[k]])),
  };
}

/** ListEventBuses, by NamePrefix, with Limit (1-100) and NextToken paging. */
export function listEventBuses(s: AwsScopeState, b: Record<string, unknown>) {
  const limit = b.Limit === undefined ? 100 : Number(b.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new AwsError('ValidationException', 'Limit must be 1-100.', 400);
  const prefix = typeof b.NamePrefix === 'string' ? b.NamePrefix : '';
  const offset =
    typeof b.NextToken === 'string' ? Number(Buffer.from(b.NextToken, 'base64url').toString()) : 0;
  const all = [...s.buses.values()].filter((x) => x.Name.startsWith(prefix));
  const slice = all.slice(offset, offset + limit);
  const next = offset + slice.length;
  return {
    // The EventBus shape of ListEventBuses: Name, Arn, Description, CreationTime and
    // LastModifiedTime (no tags, no settings; Policy and ManagedBy are never set here).
    EventBuses: slice.map((x) => ({
      Name: x.Name,
      Arn: x.Arn,
      ...(x.Description ? { Description: x.Description } : {}),
      CreationTime: x.CreationTime,
      LastModifiedTime: x.LastModifiedTime,
    })),
    ...(next < all.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
}

/**
 * DeleteEventBus (never the default bus). A bus that does not exist answers 200 as EventBridge
 * does: the API Reference lists no ResourceNotFoundException for it (only
 * ConcurrentModificationException and InternalException).
 */
export function deleteEventBus(s: AwsScopeState, b: Record<string, unknown>) {
  if (typeof b.Name !== 'string' || b.Name.length < 1 || b.Name.length > 256)
    throw ebInvalid('Name must be 1-256 characters');
  if (b.Name === 'default')
    throw new AwsError('ValidationException', 'Cannot delete event bus default.', 400);
  s.buses.delete(b.Name);
  return {};
}
