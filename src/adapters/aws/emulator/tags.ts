/**
 * Tags of both services: AppIntegrations' tag map (TagResource/UntagResource/ListTagsForResource
 * under /tags/{arn}, lowercase `tags`/`tagKeys`) and EventBridge's {Key, Value} lists (JSON 1.1).
 */
import { AwsError, invalid } from './errors.js';
import { type AwsScopeState, busByArn, integrationByArn } from './state.js';

// The service's own tag key pattern (note `+-=` is a character range in it).
const TAG_KEY = /^(?!aws:)[a-zA-Z+-=._:/]+$/;

/** An AppIntegrations tag map (`Tags` on create, `tags` on TagResource), checked as documented. */
export function checkTags(tags: unknown, field: string): Record<string, string> {
  if (tags === undefined) return {};
  if (typeof tags !== 'object' || tags === null) throw invalid(`${field} must be a map`);
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 200) throw invalid(`${field}: at most 200 tags`);
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 128 || !TAG_KEY.test(k))
      throw invalid(`${field}: key ${k} must be 1-128 characters matching ^(?!aws:)[a-zA-Z+-=._:/]+$`);
    if (typeof v !== 'string' || v.length > 256)
      throw invalid(`${field}: value of ${k} must be at most 256 characters`);
  }
  return tags as Record<string, string>;
}

/** AppIntegrations TagResource. */
export function tagIntegration(s: AwsScopeState, arn: string, b: Record<string, unknown>) {
  const it = integrationByArn(s, arn);
  const tags = checkTags(b.tags, 'tags');
  if (Object.keys({ ...it.Tags, ...tags }).length > 200) throw invalid('tags: at most 200 tags');
  Object.assign(it.Tags, tags);
  return {};
}

/** AppIntegrations UntagResource. */
export function untagIntegration(s: AwsScopeState, arn: string, keys: string[]) {
  const it = integrationByArn(s, arn);
  if (!keys.length) throw invalid('tagKeys is required');
  for (const k of keys) delete it.Tags[k];
  return {};
}

/** AppIntegrations ListTagsForResource. */
export const listIntegrationTags = (s: AwsScopeState, arn: string) => ({
  tags: { ...integrationByArn(s, arn).Tags },
});

/** An EventBridge `Tags` list ({Key, Value} entries), checked as documented. */
export function busTags(tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (!Array.isArray(tags) || tags.length > 50)
    throw new AwsError('ValidationException', 'Tags: at most 50 {Key, Value} entries.', 400);
  const out: Record<string, string> = {};
  for (const t of tags as { Key?: unknown; Value?: unknown }[]) {
    if (typeof t.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128 || t.Key.startsWith('aws:')) {
      throw new AwsError(
        'ValidationException',
        'Tag keys are 1-128 characters and cannot start with aws:.',
        400,
      );
    }
    if (typeof t.Value !== 'string' || t.Value.length > 256)
      throw new AwsError('ValidationException', 'Tag values are at most 256 characters.', 400);
    out[t.Key] = t.Value;
  }
  return out;
}

/** EventBridge TagResource. */
export function tagBus(s: AwsScopeState, b: Record<string, unknown>) {
  const bus = busByArn(s, b.ResourceARN);
  Object.assign(bus.Tags, busTags(b.Tags));
  return {};
}

/** EventBridge UntagResource. */
export function untagBus(s: AwsScopeState, b: Record<string, unknown>) {
  const bus = busByArn(s, b.ResourceARN);
  for (const k of (b.TagKeys as string[]) ?? []) delete bus.Tags[k];
  return {};
}

/** EventBridge ListTagsForResource. */
export const listBusTags = (s: AwsScopeState, b: Record<string, unknown>) => ({
  Tags: Object.entries(busByArn(s, b.ResourceARN).Tags).map(([Key, Value]) => ({ Key, Value })),
});
