/**
 * The diff: read live state through the adapters, match each spec item to the live resource it
 * is (provider + target + parent bus + name, never a same-named resource under another bus), and
 * produce the plan (create, update in place, replace, delete with prune, no-op), marking what a
 * provider cannot express, and failing only the items whose live state could not be read. It
 * changes nothing; `apply.ts` runs the plan. Phases: `read.ts`, `match.ts`, `diff.ts`, `order.ts`.
 */
export {
  type FieldChange,
  hasChanges,
  itemKey,
  type Plan,
  type PlanAction,
  type PlanItem,
  type PlanOptions,
  type PlanWarning,
  summarize,
  unmetItems,
} from './model.js';
export { planChanges } from './plan-changes.js';
export { specProviderIssues, validateSpec } from './validate.js';
