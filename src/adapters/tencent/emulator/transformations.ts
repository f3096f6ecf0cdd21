/**
 * Transformations of a rule in the Tencent emulator: CheckTransformation (run by ../transform.ts),
 * CreateTransformation (one per call), GetTransformation, UpdateTransformation and
 * DeleteTransformation.
 */
import { randomId } from '../../../testing/loopback.js';
import { runTransformations, TransformationError, type TransformationSpec } from '../transform.js';
import { type Actions, type EmulatorContext, type Params, required, type Row, TcError } from './common.js';
import { ruleOf } from './rules.js';

/** The transformation named by TransformationId on the rule (ResourceNotFound.Transformation). */
function transformationOf(emu: EmulatorContext, p: Params): Row & { Transformations: unknown[] } {
  const rule = ruleOf(emu, p);
  const t = emu.transformations.get(String(p.TransformationId));
  if (!t || t.RuleId !== rule.RuleId) {
    throw new TcError(
      'ResourceNotFound.Transformation',
      'The specified task is not found. Please check and try again.',
    );
  }
  return t;
}

/** The transformation actions. */
export const transformationActions = (emu: EmulatorContext): Actions => ({
  CheckTransformation: (p) => {
    required(p, 'Input', 'Transformations');
    if (!Array.isArray(p.Transformations) || p.Transformations.length === 0)
      throw new TcError(
        'InvalidParameterValue.Transformations',
        'The `Transformations` value does not conform to the specification.',
      );
    try {
      return {
        Output: runTransformations(String(p.Input), p.Transformations as TransformationSpec[], emu.now()),
      };
    } catch (e) {
      if (!(e instanceof TransformationError)) throw e;
      throw new TcError(
        e.field === 'Input' ? 'InvalidParameterValue' : 'InvalidParameterValue.Transformations',
        `The \`${e.field === 'Input' ? 'Input' : `Transformations.${e.field}`}\` value does not conform to the specification: ${e.message}.`,
      );
    }
  },
  CreateTransformation: (p) => {
    ruleOf(emu, p);
    required(p, 'Transformations');
    const list = p.Transformations as unknown[];
    if (!Array.isArray(list) || list.length !== 1) {
      throw new TcError('InvalidParameterValue.Transformations', 'Only one transformation is supported.');
    }
    const id = `tsfm-${randomId()}`;
    emu.transformations.set(id, {
      TransformationId: id,
      RuleId: p.RuleId,
      EventBusId: p.EventBusId,
      Transformations: list,
    });
    return { TransformationId: id };
  },
  GetTransformation: (p) => ({ Transformations: transformationOf(emu, p).Transformations }),
  UpdateTransformation: (p) => {
    transformationOf(emu, p).Transformations = p.Transformations as unknown[];
    return {};
  },
  DeleteTransformation: (p) => {
    emu.transformations.delete(String(transformationOf(emu, p).TransformationId));
    return {};
  },
});
