/**
 * AppIntegrations event integrations (REST-JSON under /eventIntegrations): create with ClientToken
 * idempotency and a quota, get, list and associations with NextToken paging, update, delete.
 */
import { AwsError, invalid } from './errors.js';
import { type AwsScopeState, findIntegration } from './state.js';
import { checkTags } from './tags.js';

const NAME = /^[a-zA-Z0-9/._-]+$/;

/** CreateEventIntegration, with at most `quota` integrations in the scope. */
export function createIntegration(s: AwsScopeState, b: Record<string, unknown>, quota: number) {
  const { Name, Description, EventBridgeBus, EventFilter, ClientToken, Tags } = b as {
    Name?: string;
    Description?: string;
    EventBridgeBus?: string;
    EventFilter?: { Source?: string };
    ClientToken?: string;
    Tags?: unknown;
  };
  for (const [field, v] of [
    ['Name', Name],
    ['EventBridgeBus', EventBridgeBus],
  ] as const) {
    if (typeof v !== 'string' || v.length < 1 || v.length > 255 || !NAME.test(v))
      throw invalid(`${field} must be 1-255 characters matching ^[a-zA-Z0-9\\/\\._\\-]+$`);
  }
  const source = EventFilter?.Source;
  if (typeof source !== 'string' || source.length < 1 || source.length > 256)
    throw invalid('EventFilter.Source must be 1-256 characters');
  if (Description !== undefined && (typeof Description !== 'string' || Description.length > 1000))
    throw invalid('Description must be at most 1000 characters');
  if (
    ClientToken !== undefined &&
    (typeof ClientToken !== 'string' || ClientToken.length < 1 || ClientToken.length > 2048)
  )
    throw invalid('ClientToken must be 1-2048 characters');
  const tags = checkTags(Tags, 'Tags');
  const fingerprint = JSON.stringify([
    Name,
    Description ?? null,
    EventBridgeBus,
    source,
    Object.entries(tags).sort(),
  ]);
  if (ClientToken) {
    const seen = s.tokens.get(ClientToken);
    if (seen && seen.fingerprint === fingerprint) return { EventIntegrationArn: seen.arn };
    if (seen) throw invalid('ClientToken was already used with a different request');
  }
  if (s.integrations.has(Name!))
    throw new AwsError('DuplicateResourceException', `An event integration named ${Name} already exists.`);
  if (s.integrations.size >= quota)
    throw new AwsError(
      'ResourceQuotaExceededException',
      'The allowed quota for the resource has been exceeded.',
    );
  const arn = `arn:aws:app-integrations:${s.region}:${s.account}:event-integration/${Name}`;
  s.integrations.set(Name!, {
    Name: Name!,
    ...(Description !== undefined ? { Description } : {}),
    EventIntegrationArn: arn,
    EventBridgeBus: EventBridgeBus!,
    EventFilter: { Source: source },
    Tags: { ...tags },
  });
  if (ClientToken) s.tokens.set(ClientToken, { fingerprint, arn });
  return { EventIntegrationArn: arn };
}

/** GetEventIntegration. */
export function getIntegration(s: AwsScopeState, name: string) {
  const it = findIntegration(s, name);
  return { ...it, Tags: { ...it.Tags } };
}

/** One page of `items` by `maxResults` (1-50) and an opaque `nextToken`. */
function page<T>(q: URLSearchParams, items: T[]) {
  const max = q.has('maxResults') ? Number(q.get('maxResults')) : 50;
  if (!Number.isInteger(max) || max < 1 || max > 50) throw invalid('maxResults must be 1-50');
  const token = q.get('nextToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalid('nextToken is invalid');
  const slice = items.slice(offset, offset + max);
  const next = offset + slice.length;
  return {
    slice,
    ...(next < items.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
}

/** ListEventIntegrations. */
export function listIntegrations(s: AwsScopeState, q: URLSearchParams) {
  const { slice, NextToken } = page(q, [...s.integrations.values()]);
  return {
    EventIntegrations: slice.map((i) => ({ ...i, Tags: { ...i.Tags } })),
    ...(NextToken ? { NextToken } : {}),
  };
}

/** UpdateEventIntegration (the description). */
export function updateIntegration(s: AwsScopeState, name: string, b: Record<string, unknown>) {
  const it = findIntegration(s, name);
  if (b.Description !== undefined && (typeof b.Description !== 'string' || b.Description.length > 1000))
    throw invalid('Description must be at most 1000 characters');
  if (typeof b.Description === 'string') it.Description = b.Description;
  return {};
}

/** DeleteEventIntegration, refused while clients are associated. */
export function deleteIntegration(s: AwsScopeState, name: string) {
  findIntegration(s, name);
  if ((s.associations.get(name) ?? []).length)
    throw invalid(`Event integration ${name} is associated with clients and cannot be deleted.`);
  s.integrations.delete(name);
  return {};
}

/** ListEventIntegrationAssociations. */
export function listAssociations(s: AwsScopeState, name: string, q: URLSearchParams) {
  const it = findIntegration(s, name);
  const { slice, NextToken } = page(q, s.associations.get(name) ?? []);
  return {
    EventIntegrationAssociations: slice.map((a) => ({
      ...a,
      EventIntegrationAssociationArn: `${it.EventIntegrationArn}/${a.EventIntegrationAssociationId}`,
      EventIntegrationName: name,
      EventBridgeRuleName: `rule-${a.ClientId}`,
      ClientAssociationMetadata: {},
    })),
    ...(NextToken ? { NextToken } : {}),
  };
}
