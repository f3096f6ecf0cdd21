/**
 * The targets of a rule in the Tencent emulator: CreateTarget, ListTargets, UpdateTarget and
 * DeleteTarget, with their batch delivery settings.
 */
import { randomId } from '../../../testing/loopback.js';
import {
  type Actions,
  type EmulatorContext,
  page,
  type Params,
  qcsDescription,
  required,
  type Row,
  TcError,
} from './common.js';
import { ruleOf } from './rules.js';

/** Targets belong to one rule: another rule's RuleId finds nothing (ResourceNotFound.Target). */
function targetOf(emu: EmulatorContext, p: Params): Row {
  const rule = ruleOf(emu, p);
  required(p, 'TargetId');
  const target = emu.targets.get(String(p.TargetId));
  if (!target || target.RuleId !== rule.RuleId)
    throw new TcError(
      'ResourceNotFound.Target',
      'The specified `Target` was not found. Please create it and try again.',
    );
  return target;
}

/** BatchTimeout / BatchEventCount: positive integers (InvalidParameterValue.<field>). */
function checkBatch(p: Params): void {
  for (const field of ['BatchTimeout', 'BatchEventCount']) {
    const v = p[field];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) > 0)) {
      throw new TcError(
        `InvalidParameterValue.${field}`,
        `The \`${field}\` value does not conform to the specification. Please fix it and try again.`,
      );
    }
  }
  if (p.EnableBatchDelivery !== undefined && typeof p.EnableBatchDelivery !== 'boolean') {
    throw new TcError(
      'InvalidParameterValue.TargetDescription',
      'The `TargetDescription` value does not conform to the specification: EnableBatchDelivery is a Boolean.',
    );
  }
}

/** The target actions. */
export const targetActions = (emu: EmulatorContext): Actions => ({
  CreateTarget: (p) => {
    ruleOf(emu, p);
    required(p, 'Type', 'TargetDescription');
    const desc = qcsDescription(p.TargetDescription, 'TargetDescription');
    // Batch delivery is set through TargetDescription.SCFParams (data type SCFParams); ListTargets
    // shows it as EnableBatchDelivery/BatchTimeout/BatchEventCount (defaults as its example: false, 1, 1).
    const scf = (desc.SCFParams ?? {}) as Params;
    checkBatch(scf);
    const id = `target-${randomId()}`;
    emu.targets.set(id, {
      TargetId: id,
      RuleId: p.RuleId,
      EventBusId: p.EventBusId,
      Type: p.Type,
      TargetDescription: desc,
      EnableBatchDelivery: scf.EnableBatchDelivery ?? false,
      BatchEventCount: scf.BatchEventCount ?? 1,
      BatchTimeout: scf.BatchTimeout ?? 1,
    });
    return { TargetId: id };
  },
  ListTargets: (p) => {
    ruleOf(emu, p);
    const { TotalCount, items } = page(
      p,
      [...emu.targets.values()].filter((t) => t.RuleId === p.RuleId),
    );
    return { TotalCount, Targets: items };
  },
  UpdateTarget: (p) => {
    const target = targetOf(emu, p);
    checkBatch(p);
    const desc = target.TargetDescription as Params;
    for (const k of ['EnableBatchDelivery', 'BatchTimeout', 'BatchEventCount']) {
      if (p[k] === undefined) continue;
      target[k] = p[k];
      if (desc.SCFParams) (desc.SCFParams as Params)[k] = p[k];
    }
    return {};
  },
  DeleteTarget: (p) => {
    emu.targets.delete(String(targetOf(emu, p).TargetId));
    return {};
  },
});
