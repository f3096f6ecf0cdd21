/**
 * The targets of a Tencent rule (no neutral kind of their own: an integration's `targets`):
 * ListTargets, and their sync through CreateTarget/UpdateTarget/DeleteTarget.
 */
import { collect } from '../../../core/runtime/resources.js';
import type { TencentTarget, TencentTargetDescription } from '../client.js';
import type { TencentTargetParams } from '../routing.js';
import type { TencentContext } from './context.js';

/** Every target of a rule. */
export const listTargets = (
  { client }: TencentContext,
  busId: string,
  ruleId: string,
  signal?: AbortSignal,
) => collect(client.targets(busId, ruleId, 100, signal));

/** Same target: same Type and resource; only batch settings can change in place (UpdateTarget). */
const targetKey = (t: { Type: string; TargetDescription?: { ResourceDescription: string } | null }) =>
  `${t.Type} ${t.TargetDescription?.ResourceDescription ?? ''}`;
const withoutBatch = (d: object | null | undefined) => {
  const { SCFParams: _s, ...rest } = (d ?? {}) as Record<string, unknown>;
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(rest)
        .filter(([, v]) => v !== null && v !== undefined)
        .sort(),
    ),
  );
};

/**
 * Brings a rule's targets to `want`: creates the new ones, deletes the removed ones, updates
 * batch settings in place, and replaces (delete + create) a target whose other parameters
 * changed (UpdateTarget changes only batch delivery).
 */
export const syncTargets = async (
  ctx: TencentContext,
  busId: string,
  ruleId: string,
  want: TencentTargetParams[],
  signal?: AbortSignal,
) => {
  const { client } = ctx;
  const live: TencentTarget[] = await listTargets(ctx, busId, ruleId, signal);
  const ids = { EventBusId: busId, RuleId: ruleId };
  const kept = new Set<string>();
  for (const w of want) {
    const same = live.find((l) => !kept.has(l.TargetId) && targetKey(l) === targetKey(w));
    if (same && withoutBatch(same.TargetDescription) === withoutBatch(w.TargetDescription)) {
      kept.add(same.TargetId);
      // no batch settings on an SCF target is batching off: turn it off if it is on
      const batch = (w.TargetDescription.SCFParams ??
        (w.Type === 'scf' ? { EnableBatchDelivery: false } : {})) as Record<string, unknown>;
      const changed = ['EnableBatchDelivery', 'BatchTimeout', 'BatchEventCount'].filter(
        (k) => batch[k] !== undefined && batch[k] !== same[k],
      );
      if (changed.length)
        await client.updateTarget(
          { ...ids, TargetId: same.TargetId, ...Object.fromEntries(changed.map((k) => [k, batch[k]])) },
          signal,
        );
      continue;
    }
    await client.createTarget(
      {
        ...ids,
        Type: w.Type,
        TargetDescription: w.TargetDescription as unknown as TencentTargetDescription,
      },
      signal,
    );
  }
  for (const l of live)
    if (!kept.has(l.TargetId)) await client.deleteTarget({ ...ids, TargetId: l.TargetId }, signal);
};
