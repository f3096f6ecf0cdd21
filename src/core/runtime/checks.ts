/** Small checks the adapters share: a value at a dotted path, a field's mutability, an endpoint origin. */
import { type MutabilityTable } from '../contract/provider.js';
import { invalidArgument } from '../model/errors.js';
import type { ResourceKind } from '../model/resources.js';

/** Reads a dotted path (`filter.source`) from an object. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Rejects an update that sets a field the mutability table marks `replace`, before any request,
 * naming the field: such a change needs delete+create, which only plan/apply performs.
 */
export function assertMutable(
  provider: string,
  kind: ResourceKind,
  mutability: MutabilityTable,
  patch: Record<string, unknown>,
  operation: string,
): void {
  const issues = Object.entries(mutability[kind] ?? {})
    .filter(([path, m]) => m === 'replace' && valueAt(patch, path) !== undefined)
    .map(([path]) => ({
      field: path,
      rule: `is immutable on ${provider}: changing it needs a replace (delete and create)`,
    }));
  if (issues.length) throw invalidArgument(provider, operation, issues);
}

/**
 * Checks a configured endpoint before any request: an http(s) origin such as
 * `https://eb.tencentcloudapi.com` or `http://127.0.0.1:4566`, returned without a trailing slash.
 * Anything else is an `InvalidArgument` naming where the value came from.
 */
export function parseEndpoint(provider: string, field: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw invalidArgument(provider, 'configure', [
      {
        field,
        rule: `must be an http(s) URL such as https://host or http://127.0.0.1:PORT, got ${JSON.stringify(value)}`,
      },
    ]);
  return value.replace(/\/+$/, '');
}
