/**
 * Tags of EventBridge buses and rules through Tencent's tag service (the EventBridge actions take
 * none): ModifyResourceTags to write, DescribeResourceTagsByResourceIds to read, TC3-signed for
 * service `tag`. Resource names follow the form the official Terraform provider uses,
 * `qcs::eb:{region}:uin/:eventbusid/{busId}` and `...:ruleid/{busId}/{ruleId}`. It never touches
 * anything but tags.
 */
import { z } from 'zod';
import type { TencentClient } from './client.js';

/** Tag-service resource prefixes of the EventBridge kinds that can hold tags. */
export const TENCENT_TAG_PREFIX = { bus: 'eventbusid', integration: 'ruleid' } as const;
/**
 * The tag service's own documented frequency limit for DescribeResourceTagsByResourceIds
 * ("A maximum of 100 requests can be initiated per second for this API"), above EventBridge's
 * 20 per second per action.
 */
export const TENCENT_TAG_READ_RATE = { ratePerSecond: 100, burst: 20 };

/** A kind whose resources the tag service can tag. */
export type TaggableKind = keyof typeof TENCENT_TAG_PREFIX;

/**
 * The tag polybus keeps on a rule for its transformation: no action lists a rule's
 * transformations (GetTransformation needs the TransformationId that only CreateTransformation
 * returns), so the id lives here, as Terraform's `bus#rule#transformation` import id keeps it
 * outside the rule. Its value is the TransformationId, or {@link TENCENT_NO_TRANSFORMATION} when
 * polybus wrote the rule's targets without one. It is never part of the neutral `tags`.
 */
export const TENCENT_TRANSFORMATION_TAG = 'polybus:transformation';
/** The value of {@link TENCENT_TRANSFORMATION_TAG} on a rule polybus knows has no transformation. */
export const TENCENT_NO_TRANSFORMATION = 'none';

/** A resource's tags split into the user's (neutral `tags`) and polybus's transformation reference. */
export function splitReservedTags(all: Record<string, string>): {
  user: Record<string, string>;
  transformation?: string;
} {
  const { [TENCENT_TRANSFORMATION_TAG]: transformation, ...user } = all;
  return transformation === undefined ? { user } : { user, transformation };
}

const TagRows = z.object({
  TotalCount: z.number().int().nonnegative(),
  Tags: z
    .array(z.looseObject({ ResourceId: z.string(), TagKey: z.string(), TagValue: z.string() }))
    .nullish(),
});

/** The six-segment resource name of an EventBridge resource for the tag service. */
export function tagResourceName(region: string, kind: TaggableKind, id: string): string {
  return `qcs::eb:${region}:uin/:${TENCENT_TAG_PREFIX[kind]}/${id}`;
}

/** Reads and writes the tags of buses and rules. */
export class TencentTags {
  constructor(
    private readonly client: TencentClient,
    private readonly region: string,
  ) {}

  /** The tags of one resource (`id` is the bus id, or `busId/ruleId` for a rule). */
  async get(kind: TaggableKind, id: string, signal?: AbortSignal): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const limit = 100;
    for (let offset = 0; ; offset += limit) {
      const res = await this.client.call(
        'DescribeResourceTagsByResourceIds',
        {
          ServiceType: 'eb',
          ResourcePrefix: TENCENT_TAG_PREFIX[kind],
          ResourceRegion: this.region,
          ResourceIds: [id],
          Offset: offset,
          Limit: limit,
        },
        TagRows,
        { ...(signal ? { signal } : {}), resource: id },
      );
      const rows = res.Tags ?? [];
      for (const t of rows) if (t.ResourceId === id) out[t.TagKey] = t.TagValue;
      if (rows.length < limit || offset + rows.length >= res.TotalCount) return out;
    }
  }

  /** Makes the resource's tags `want`: changed and new keys replaced, missing keys deleted. */
  async set(
    kind: TaggableKind,
    id: string,
    want: Record<string, string>,
    have: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<void> {
    const replace = Object.entries(want).filter(([k, v]) => have[k] !== v);
    const remove = Object.keys(have).filter((k) => !(k in want));
    if (!replace.length && !remove.length) return;
    await this.client.call(
      'ModifyResourceTags',
      {
        Resource: tagResourceName(this.region, kind, id),
        ...(replace.length
          ? { ReplaceTags: replace.map(([TagKey, TagValue]) => ({ TagKey, TagValue })) }
          : {}),
        ...(remove.length ? { DeleteTags: remove.map((TagKey) => ({ TagKey })) } : {}),
      },
      z.object({}),
      { ...(signal ? { signal } : {}), resource: id },
    );
  }
}
