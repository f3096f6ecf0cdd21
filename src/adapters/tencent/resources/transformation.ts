/**
 * The one transformation of a Tencent rule (an integration's `targets.transform`): read through the
 * reference tag polybus keeps on the rule, and synced with Create/Update/DeleteTransformation.
 */
import { isPolybusError } from '../../../core/model/errors.js';
import type { TencentTransformation } from '../client.js';
import { neutralTransformOf, type TencentTransformation as TencentTransformationParams } from '../routing.js';
import { TENCENT_NO_TRANSFORMATION, TENCENT_TRANSFORMATION_TAG } from '../tags.js';
import { ignoreNotFound, type TencentContext } from './context.js';

/**
 * What polybus knows of a rule's one transformation: `known` false when the rule has no
 * reference tag (made by another tool, or by polybus before it kept one); else the tag's value
 * and, when the transformation exists, its id and content.
 */
export type RuleTransformation =
  { known: false } | { known: true; tag?: string; id?: string; transformation?: TencentTransformation };

export const TAG = TENCENT_TRANSFORMATION_TAG;
/** The plan warning of a rule whose transformation polybus holds no reference to. */
export const NO_REFERENCE = `the rule has no ${TAG} tag, so polybus cannot tell whether it has a transformation (no Tencent action lists a rule's transformations; GetTransformation needs the TransformationId, which only CreateTransformation returns); polybus neither diffs nor changes it. To hand it to polybus, tag the rule ${TAG}=<TransformationId>, or ${TAG}=${TENCENT_NO_TRANSFORMATION} if it has none`;

/** The rule's transformation through its reference tag value (`tag` undefined: no reference). */
export const readTransformation = async (
  { client }: TencentContext,
  busId: string,
  ruleId: string,
  tag: string | undefined,
  signal?: AbortSignal,
): Promise<RuleTransformation> => {
  if (tag === undefined) return { known: false };
  if (tag === TENCENT_NO_TRANSFORMATION) return { known: true, tag };
  try {
    const { Transformations } = await client.getTransformation(
      { EventBusId: busId, RuleId: ruleId, TransformationId: tag },
      signal,
    );
    const transformation = Transformations[0];
    return transformation ? { known: true, tag, id: tag, transformation } : { known: true, tag };
  } catch (err) {
    // Deleted outside polybus: the reference says there was one, and it is gone.
    if (isPolybusError(err) && err.code === 'NotFound') return { known: true, tag };
    throw err;
  }
};

/**
 * Brings the rule's one transformation to `want` (Create/Update/DeleteTransformation) where
 * polybus knows it, and returns the reference tag value to keep; undefined when it is left
 * alone: no reference (polybus cannot see it), or a transformation with no neutral form.
 */
export const syncTransformation = async (
  { client }: TencentContext,
  busId: string,
  ruleId: string,
  want: TencentTransformationParams | undefined,
  current: RuleTransformation,
  signal?: AbortSignal,
): Promise<string | undefined> => {
  if (!current.known) return undefined;
  if (current.transformation && !neutralTransformOf(current.transformation)) return undefined;
  const ids = { EventBusId: busId, RuleId: ruleId };
  if (!want) {
    if (current.id)
      await client
        .deleteTransformation({ ...ids, TransformationId: current.id }, signal)
        .catch(ignoreNotFound);
    return TENCENT_NO_TRANSFORMATION;
  }
  if (current.id) {
    const same =
      JSON.stringify(neutralTransformOf(current.transformation)) === JSON.stringify(neutralTransformOf(want));
    if (!same)
      await client.updateTransformation(
        { ...ids, TransformationId: current.id, Transformations: [want as TencentTransformation] },
        signal,
      );
    return current.id;
  }
  return (
    await client.createTransformation({ ...ids, Transformations: [want as TencentTransformation] }, signal)
  ).TransformationId;
};
