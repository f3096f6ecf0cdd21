/**
 * Tencent rules (the neutral integrations) of a bus, each read with its targets, tags and
 * transformation: CreateRule/GetRule/ListRules/UpdateRule/DeleteRule and what they bring along.
 */
import { unsupported } from '../../../core/model/errors.js';
import { nativeFilterIn, routingProblems } from '../../../core/model/routing.js';
import type { Integration } from '../../../core/model/resources.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { flatMapAsync, mapAsync } from '../../../core/runtime/resources.js';
import type { CallOptions, ListOptions } from '../../../core/contract/calls.js';
import { createWithLookup, findFirst, readAfterWrite } from '../../../core/runtime/read-after-write.js';
import type { EventProvider } from '../../../core/contract/provider.js';
import { tencentMutability } from '../capabilities.js';
import type { TencentTransformation } from '../client.js';
import { splitReservedTags, TENCENT_NO_TRANSFORMATION } from '../tags.js';
import {
  eventPatternOf,
  integrationFromTencent,
  splitChildId,
  TencentIntegrationInput,
  TencentIntegrationPatch,
  tencentNativeFilter,
} from '../mapping.js';
import { neutralTransformOf, tencentRouting, type TencentRoutingTargets } from '../routing.js';
import { allBusIds } from './bus.js';
import {
  enableOf,
  fullOrGone,
  ignoreNotFound,
  P,
  present,
  sent,
  sig,
  type TencentContext,
  withTags,
} from './context.js';
import { listTargets, syncTargets } from './targets.js';
import { NO_REFERENCE, readTransformation, syncTransformation, TAG } from './transformation.js';

type IntegrationsApi = EventProvider['integrations'];

/**
 * A rule with its targets, tags and transformation. `known`: the user's tags and the reference
 * tag value polybus has just written (a read after its own write), taken instead of a
 * tag-service read (see `getBus`).
 */
export const getRule = async (
  ctx: TencentContext,
  busId: string,
  ruleId: string,
  signal?: AbortSignal,
  known?: { tags: Record<string, string>; ref: string | undefined },
) => {
  const { client, tags, unreadableRules } = ctx;
  const rule = await client.getRule({ EventBusId: busId, RuleId: ruleId }, signal);
  const targets = await listTargets(ctx, busId, ruleId, signal);
  const { user, transformation: tag } = known
    ? { user: known.tags, transformation: known.ref }
    : splitReservedTags(await tags.get('integration', `${busId}/${ruleId}`, signal));
  const t = await readTransformation(ctx, busId, ruleId, tag, signal);
  const read = withTags(integrationFromTencent(rule, targets, t.known ? t.transformation : undefined), user);
  const why = !t.known
    ? NO_REFERENCE
    : t.transformation && !neutralTransformOf(t.transformation)
      ? `the rule's transformation ${t.id} (EtlFilter, Transform or a TEXT extraction) has no neutral form; polybus neither diffs nor changes it`
      : undefined;
  if (why) unreadableRules.set(read, [{ field: 'targets.transform', detail: why }]);
  return read;
};

/**
 * The rule's EventPattern and CreateTarget calls from the neutral filter, targets and delivery;
 * anything EventPattern or CreateTarget cannot say exactly is refused here, before any request.
 */
const route = (
  input: { filter?: unknown; targets?: unknown; delivery?: unknown; extensions?: unknown },
  operation: string,
): { pattern?: string; routing?: TencentRoutingTargets } => {
  const problems = routingProblems(tencentRouting, input);
  if (problems.length)
    throw unsupported(P, operation, problems.map((p) => `${p.field}: ${p.rule}`).join('; '));
  const f = input.filter === undefined ? undefined : tencentRouting.translateFilter(input.filter as never);
  const t =
    input.targets === undefined && input.delivery === undefined
      ? undefined
      : tencentRouting.translateTargets((input.targets ?? []) as never, input.delivery as never);
  // The native filter escape hatch (validated with the input): sent as the pattern it is.
  const native = eventPatternOf(nativeFilterIn(input, P, tencentNativeFilter.field));
  return {
    ...(f?.ok ? { pattern: JSON.stringify(f.native) } : native ? { pattern: JSON.stringify(native) } : {}),
    ...(t?.ok ? { routing: t.native } : {}),
  };
};

/** `integrations.create`: the rule, its tags, targets and transformation, in that order. */
async function createRule(
  ctx: TencentContext,
  raw: Parameters<IntegrationsApi['create']>[0],
  o?: CallOptions,
): Promise<Integration> {
  const { client, tags, wait } = ctx;
  const input = parseInput(TencentIntegrationInput, raw, P, 'integrations.create');
  const { pattern, routing } = route(input, 'integrations.create');
  const enable = enableOf(input);
  return createWithLookup(
    async () => {
      const { RuleId } = await client.createRule(
        {
          EventBusId: input.bus,
          RuleName: input.name,
          EventPattern: pattern!,
          Enable: enable ?? true,
          ...(input.description !== undefined ? { Description: input.description } : {}),
        },
        sig(o),
      );
      // No action lists a rule's transformations: the id goes in the reference tag once it
      // exists, `none` right away when no transform is asked for (so a later update knows
      // there is nothing to find). An interruption before the tag leaves no reference: the
      // rule is then warned about, never assumed empty.
      const id = `${input.bus}/${RuleId}`;
      const want = routing?.transformation;
      /** The reference tag value written (undefined: none could be). */
      let ref: string | undefined;
      if (!want) {
        const marked = tags.set(
          'integration',
          id,
          { ...input.tags, [TAG]: TENCENT_NO_TRANSFORMATION },
          {},
          sig(o),
        );
        // With no tags asked for, the `none` marker is polybus's own bookkeeping: a refused
        // write (no tag:ModifyResourceTags permission) must not fail a rule that was made; it
        // only leaves the rule unreferenced, which later plans warn about.
        const written = await marked.then(
          () => true,
          (err: unknown) => {
            if (input.tags) throw err;
            return false;
          },
        );
        ref = written ? TENCENT_NO_TRANSFORMATION : undefined;
      } else if (input.tags) await tags.set('integration', id, input.tags, {}, sig(o));
      if (routing) await syncTargets(ctx, input.bus, RuleId, routing.targets, sig(o));
      if (want) {
        const { TransformationId } = await client.createTransformation(
          { EventBusId: input.bus, RuleId, Transformations: [want as TencentTransformation] },
          sig(o),
        );
        await tags.set('integration', id, { [TAG]: TransformationId }, {}, sig(o));
        ref = TransformationId;
      }
      const known = { tags: input.tags ?? {}, ref };
      return readAfterWrite(
        () => getRule(ctx, input.bus, RuleId, sig(o), known),
        () => sent(`${input.bus}/${RuleId}`, input),
        wait(o),
      );
    },
    async () => {
      const hit = await findFirst(client.rules(input.bus, 100, sig(o)), (r) => r.RuleName === input.name);
      return hit ? getRule(ctx, input.bus, hit.RuleId, sig(o)) : undefined;
    },
    wait(o),
  );
}

/** `integrations.update`: the rule, then its targets and transformation, then its tags. */
async function updateRule(
  ctx: TencentContext,
  id: string,
  raw: Parameters<IntegrationsApi['update']>[1],
  o?: CallOptions,
): Promise<Integration> {
  const { client, tags, wait } = ctx;
  const { busId, childId } = splitChildId(id, 'integrations.update');
  assertMutable(P, 'integration', tencentMutability, raw, 'integrations.update');
  const patch = parseInput(TencentIntegrationPatch, raw, P, 'integrations.update');
  const { pattern, routing } = route(patch, 'integrations.update');
  const enable = enableOf(patch);
  await client.updateRule(
    {
      EventBusId: busId,
      RuleId: childId,
      ...(patch.name !== undefined ? { RuleName: patch.name } : {}),
      ...(patch.description !== undefined ? { Description: patch.description } : {}),
      ...(pattern !== undefined ? { EventPattern: pattern } : {}),
      ...(enable !== undefined ? { Enable: enable } : {}),
    },
    sig(o),
  );
  let known: { tags: Record<string, string>; ref: string | undefined } | undefined;
  if (routing || patch.tags) {
    // One read of the rule's tags serves the user's tags and the transformation reference; the
    // reference is kept in every write, so no change of the user's tags can delete it.
    const have = await tags.get('integration', id, sig(o));
    const { user, transformation: tag } = splitReservedTags(have);
    let ref = tag;
    if (routing) {
      await syncTargets(ctx, busId, childId, routing.targets, sig(o));
      const current = await readTransformation(ctx, busId, childId, tag, sig(o));
      ref = (await syncTransformation(ctx, busId, childId, routing.transformation, current, sig(o))) ?? tag;
    }
    await tags.set(
      'integration',
      id,
      { ...(patch.tags ?? user), ...(ref !== undefined ? { [TAG]: ref } : {}) },
      have,
      sig(o),
    );
    known = { tags: patch.tags ?? user, ref };
  }
  return readAfterWrite(
    () => getRule(ctx, busId, childId, sig(o), known),
    () => sent(id, patch),
    wait(o),
  );
}

/** The `integrations` member of the provider. */
export function createIntegrations(ctx: TencentContext): IntegrationsApi {
  const { client, tags } = ctx;
  return {
    create: (raw, o) => createRule(ctx, raw, o),
    get(id, o) {
      const { busId, childId } = splitChildId(id, 'integrations.get');
      return getRule(ctx, busId, childId, sig(o));
    },
    list(o?: ListOptions) {
      // ListRules' Rule omits EventPattern and targets, so each rule is read in full (unless summary).
      const rulesOf = (busId: string) =>
        o?.summary
          ? mapAsync(client.rules(busId, o.pageSize, o.signal), (r) => integrationFromTencent(r))
          : present(
              mapAsync(client.rules(busId, o?.pageSize, o?.signal), (r) =>
                fullOrGone(() => getRule(ctx, r.EventBusId, r.RuleId, o?.signal)),
              ),
            );
      return o?.bus ? rulesOf(o.bus) : flatMapAsync(allBusIds(ctx, o?.signal), rulesOf);
    },
    update: (id, raw, o) => updateRule(ctx, id, raw, o),
    async delete(id, o) {
      const { busId, childId } = splitChildId(id, 'integrations.delete');
      // The transformation polybus made goes first (its id is known only from the reference tag).
      const { transformation: tag } = splitReservedTags(await tags.get('integration', id, sig(o)));
      if (tag !== undefined && tag !== TENCENT_NO_TRANSFORMATION)
        await client
          .deleteTransformation({ EventBusId: busId, RuleId: childId, TransformationId: tag }, sig(o))
          .catch(ignoreNotFound);
      // DeleteRule is refused while the rule has targets (ResourceInUse.Rule): remove them first.
      for (const t of await listTargets(ctx, busId, childId, sig(o)))
        await client.deleteTarget({ EventBusId: busId, RuleId: childId, TargetId: t.TargetId }, sig(o));
      await client.deleteRule({ EventBusId: busId, RuleId: childId }, sig(o));
    },
  };
}
