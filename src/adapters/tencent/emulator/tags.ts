/**
 * The tag service in the Tencent emulator (the tags of buses and rules): ModifyResourceTags and
 * DescribeResourceTagsByResourceIds, served beside EventBridge for requests signed for `tag`.
 */
import { type Actions, type EmulatorContext, required, type Row, TcError } from './common.js';

/** The tag service (TC3 service `tag`, API 2018-08-13), served by the same emulator. */
export const TAG_SERVICE = 'tag';
export const TAG_API_VERSION = '2018-08-13';
/** `qcs::eb:{region}:uin/{uin?}:{eventbusid|ruleid}/{id}`, as the tag service names EventBridge resources. */
const TAG_RESOURCE = /^qcs::eb:([a-z0-9-]+):uin\/\d*:(eventbusid|ruleid)\/(.+)$/;

/** Tags of one EventBridge resource, keyed by region, prefix and id (the uin is implied). */
function tagsOf(emu: EmulatorContext, region: string, prefix: string, id: string): Map<string, string> {
  const key = `${region}|${prefix}|${id}`;
  let tags = emu.resourceTags.get(key);
  if (!tags) emu.resourceTags.set(key, (tags = new Map()));
  return tags;
}

/** Forgets the tags of a deleted resource. */
export function untagDeleted(emu: EmulatorContext, prefix: string, id: string): void {
  for (const key of emu.resourceTags.keys())
    if (key.endsWith(`|${prefix}|${id}`)) emu.resourceTags.delete(key);
}

/** The tag-service actions polybus calls (API 2018-08-13). */
export const tagActions = (emu: EmulatorContext): Actions => ({
  ModifyResourceTags: (p) => {
    required(p, 'Resource');
    const m = TAG_RESOURCE.exec(String(p.Resource));
    if (!m)
      throw new TcError(
        'InvalidParameterValue.ResourceDescriptionError',
        'The resource description is incorrect: expected qcs::eb:{region}:uin/{uin}:{eventbusid|ruleid}/{id}.',
      );
    const tags = tagsOf(emu, m[1]!, m[2]!, m[3]!);
    const replace = (Array.isArray(p.ReplaceTags) ? p.ReplaceTags : []) as Row[];
    const remove = (Array.isArray(p.DeleteTags) ? p.DeleteTags : []) as Row[];
    for (const t of replace) {
      const key = String(t.TagKey ?? '');
      const value = String(t.TagValue ?? '');
      if (key.length < 1 || key.length > 127)
        throw new TcError('InvalidParameterValue.TagKeyLengthExceeded', 'A tag key is 1-127 characters.');
      if (value.length > 255)
        throw new TcError(
          'InvalidParameterValue.TagValueLengthExceeded',
          'A tag value is at most 255 characters.',
        );
    }
    const next = new Map(tags);
    for (const t of remove) next.delete(String(t.TagKey ?? ''));
    for (const t of replace) next.set(String(t.TagKey), String(t.TagValue ?? ''));
    if (next.size > 50)
      throw new TcError('LimitExceeded.ResourceAttachedTags', 'A resource holds at most 50 tags.');
    tags.clear();
    for (const [k, v] of next) tags.set(k, v);
    return {};
  },
  DescribeResourceTagsByResourceIds: (p) => {
    required(p, 'ServiceType', 'ResourcePrefix', 'ResourceRegion', 'ResourceIds');
    const rows = (p.ResourceIds as unknown[]).flatMap((id) =>
      [...tagsOf(emu, String(p.ResourceRegion), String(p.ResourcePrefix), String(id))].map(
        ([TagKey, TagValue]) => ({
          ResourceId: String(id),
          TagKey,
          TagValue,
          TagKeyMd5: '',
          TagValueMd5: '',
        }),
      ),
    );
    const offset = Number(p.Offset ?? 0);
    const limit = Number(p.Limit ?? 15);
    return {
      TotalCount: rows.length,
      Offset: offset,
      Limit: limit,
      Tags: rows.slice(offset, offset + limit),
    };
  },
});
