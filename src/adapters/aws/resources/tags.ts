/**
 * Tag sync shared by the AWS kinds: a resource's tags moved to the wanted set with its service's
 * untag and tag calls (AppIntegrations for event integrations, EventBridge for buses).
 */

/** Moves a resource's tags from `have` to `want` with the service's untag and tag calls. */
export async function retag(
  arn: string,
  have: Record<string, string>,
  want: Record<string, string>,
  tag: (arn: string, tags: Record<string, string>, signal?: AbortSignal) => Promise<unknown>,
  untag: (arn: string, keys: string[], signal?: AbortSignal) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<void> {
  const remove = Object.keys(have).filter((k) => !(k in want));
  const add = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  if (remove.length) await untag(arn, remove, signal);
  if (Object.keys(add).length) await tag(arn, add, signal);
}
