/**
 * The checks made before any request: every spec item against each target provider's documented
 * rules (names, required fields, where names must be unique).
 */
import { cellOf, isCallable } from '../../model/capabilities.js';
import { invalidArgument, type ValidationIssue } from '../../model/errors.js';
import { type EventProvider } from '../../contract/provider.js';
import { itemFor, SECTION_OF_KIND, type Spec, type SpecItem } from '../../spec/schema.js';
import { locationOf } from '../../spec/locate.js';
import { type SpecLike } from '../../spec/load.js';
import { inputOf } from './model.js';
import { KIND_ORDER } from './order.js';

/**
 * Every spec item checked against each target provider's documented rules (names, required
 * fields, where names must be unique), without any request. Works on a spec that did not fully
 * parse, so that one run lists every problem.
 */
export function specProviderIssues(
  spec: SpecLike,
  /** Open providers by target id. */
  providers: Record<string, EventProvider>,
  locate?: (field: string) => string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const data = spec as Record<string, unknown>;
  const targets = Array.isArray(data.targets) ? (data.targets as { provider?: unknown; id?: unknown }[]) : [];
  const where = (field: string) => locate?.(field) ?? (isSpec(spec) ? locationOf(spec, field) : undefined);
  for (const target of targets) {
    const id = String(target?.id ?? target?.provider);
    const provider = providers[id];
    if (!provider) continue;
    const label = id === provider.name ? id : `${id} (${provider.name})`;
    for (const kind of KIND_ORDER) {
      if (
        !isCallable(cellOf(provider.capabilities, kind, 'create')) &&
        cellOf(provider.capabilities, kind, 'get')?.support !== 'reference-only'
      )
        continue;
      const section = SECTION_OF_KIND[kind];
      const list = Array.isArray(data[section]) ? (data[section] as SpecItem[]) : [];
      const accountWide = (provider.nameScope?.[kind] ?? 'account') === 'account';
      const firstByName = new Map<string, number>();
      list.forEach((raw, i) => {
        if (!raw || typeof raw !== 'object') return;
        const item = itemFor(raw, provider.name, id);
        if (!item) return;
        // Two spec items of one name on different buses are two resources only where names are per bus.
        if (accountWide && typeof item.name === 'string') {
          const first = firstByName.get(item.name);
          if (first === undefined) firstByName.set(item.name, i);
          else {
            const field = `${section}.${i}.name`;
            const location = where(field);
            issues.push({
              field,
              rule: `${label}: ${kind} names are unique per account, not per bus: ${item.name} is also ${section}.${first}`,
              ...(location ? { location } : {}),
            });
          }
        }
        if (!provider.validateInput) return;
        const input = inputOf(item);
        if (input.bus !== undefined) input.bus = `bus-${String(input.bus)}`;
        for (const issue of provider.validateInput(kind, input)) {
          const field = `${section}.${i}.${issue.field}`;
          const location = where(field);
          issues.push({ field, rule: `${label}: ${issue.rule}`, ...(location ? { location } : {}) });
        }
      });
    }
  }
  return issues;
}

const isSpec = (s: SpecLike): s is Spec => Array.isArray((s as Spec).buses) && (s as Spec).version === 1;

/** {@link specProviderIssues}, throwing one InvalidArgument when there is any (`providers` by target id). */
export function validateSpec(spec: Spec, providers: Record<string, EventProvider>): void {
  const issues = specProviderIssues(spec, providers);
  if (issues.length) throw invalidArgument('polybus', 'spec', issues);
}
