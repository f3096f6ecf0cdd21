/**
 * Loading a spec: read the file, parse, interpolate, check the schema and every reference, and
 * report every problem with its location at once.
 */
import { readFile, stat } from 'node:fs/promises';
import { invalidArgument, PolybusError, type ValidationIssue } from '../model/errors.js';
import { fieldPath, protoKeyIssues } from '../runtime/parse.js';
import { interpolate } from './interpolate.js';
import { locator, locators } from './locate.js';
import { SECTION_OF_KIND, type Spec, SpecSchema } from './schema.js';
import { MAX_SPEC_BYTES, parseLimitedYaml } from './yaml.js';

/** Checks references and duplicates (best effort on data that may not have parsed); returns every problem. */
export function checkSpecReferences(spec: SpecLike): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const list = (k: string): Record<string, unknown>[] => {
    const v = (spec as Record<string, unknown>)[k];
    return Array.isArray(v)
      ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
      : [];
  };
  const targetList = list('targets');
  const targetIds = targetList.map((t) => String(t.id ?? t.provider));
  const targetNames = new Set([...targetIds, ...targetList.map((t) => String(t.provider))]);
  const firstOfId = new Map<string, number>();
  targetIds.forEach((id, i) => {
    const first = firstOfId.get(id);
    if (first === undefined) firstOfId.set(id, i);
    else {
      const same = targetList[first]?.provider === targetList[i]?.provider;
      issues.push({
        field: `targets.${i}.id`,
        rule: `targets.${first} and targets.${i} both have the id ${id}${same ? ` (two targets of provider ${id} need distinct ids: add id: to each)` : ''}; target ids must be unique`,
      });
    }
  });
  const busNames = new Set(list('buses').map((b) => String(b.name)));
  for (const kind of ['bus', 'source', 'connection', 'integration'] as const) {
    const section = SECTION_OF_KIND[kind];
    const seen = new Map<string, number>();
    list(section).forEach((item, i) => {
      const name = typeof item.name === 'string' ? item.name : undefined;
      // An item is its bus and its name: same-named children of different buses are different
      // items (where a provider's names are per account, its own check says so).
      const identity =
        name === undefined ? undefined : `${typeof item.bus === 'string' ? item.bus : ''}/${name}`;
      const prev = identity === undefined ? undefined : seen.get(identity);
      if (prev !== undefined)
        issues.push({
          field: `${section}.${i}.name`,
          rule: `duplicate ${kind} name ${name}${typeof item.bus === 'string' ? ` on bus ${item.bus}` : ''} (also ${section}.${prev})`,
        });
      else if (identity !== undefined) seen.set(identity, i);
      const bus = item.bus;
      if (kind !== 'bus' && typeof bus === 'string' && !busNames.has(bus)) {
        issues.push({
          field: `${section}.${i}.bus`,
          rule: `references bus ${bus}, which this spec does not declare`,
        });
      }
      const providers = Array.isArray(item.providers) ? item.providers.map(String) : [];
      const overrides =
        item.overrides && typeof item.overrides === 'object' ? Object.keys(item.overrides) : [];
      for (const p of [...providers, ...overrides]) {
        if (!targetNames.has(p))
          issues.push({
            field: `${section}.${i}`,
            rule: `names ${p}, which is neither a target id nor a target's provider`,
          });
      }
    });
  }
  return issues;
}

/** A parsed spec, or the raw data of one that did not fully parse. */
export type SpecLike = Spec | Record<string, unknown>;

/** Everything known about a spec text: the spec if valid, the raw data, and every problem. */
export interface SpecAnalysis {
  spec?: Spec;
  data: SpecLike;
  issues: ValidationIssue[];
  /** `file:line` of a dotted field path. */
  locate: (field: string) => string;
}

/** Analyses a spec text (YAML or JSON) without throwing: syntax, schema, references. */
export function analyzeSpec(
  text: string,
  file = 'spec',
  env: Record<string, string | undefined> = process.env,
): SpecAnalysis {
  const limited = parseLimitedYaml(text);
  if (limited.issues.length) {
    return {
      data: {},
      locate: () => file,
      issues: limited.issues.map((i) => ({ ...i, location: i.location ? `${file}:${i.location}` : file })),
    };
  }
  const where = locator(file, text);
  const locate = (field: string) => where(field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
  const issues: ValidationIssue[] = [];
  // An own __proto__ key (YAML and JSON both make them) anywhere: a record would drop it silently.
  const proto = protoKeyIssues(limited.value);
  for (const i of proto) issues.push({ ...i, location: locate(i.field) });
  const protoFields = new Set(proto.map((i) => i.field));
  const raw = interpolate(limited.value, env, [], issues);
  const data = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const parsed = SpecSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = fieldPath(i.path) || '(spec)';
      // Reported above, field by field.
      if (i.code === 'unrecognized_keys' && proto.length && i.keys.every((k) => k === '__proto__')) continue;
      if (protoFields.has(field)) continue;
      const extra = i.code === 'unrecognized_keys' ? `: ${i.keys.join(', ')}` : '';
      issues.push({
        field,
        rule: `${i.code === 'invalid_key' && i.issues.length ? i.issues.map((k) => k.message).join('; ') : i.message}${extra}`,
        location: where(i.path as (string | number)[]),
      });
    }
  }
  issues.push(
    ...checkSpecReferences(parsed.success ? parsed.data : data).map((i) => ({
      ...i,
      location: locate(i.field),
    })),
  );
  if (parsed.success) locators.set(parsed.data, where);
  return {
    ...(parsed.success && !issues.length ? { spec: parsed.data } : {}),
    data: parsed.success ? parsed.data : data,
    issues,
    locate,
  };
}

/** Parses and checks a spec from text. Throws one InvalidArgument listing every problem. */
export function parseSpec(
  text: string,
  file = 'spec',
  env: Record<string, string | undefined> = process.env,
): Spec {
  const a = analyzeSpec(text, file, env);
  if (!a.spec) throw invalidArgument('polybus', 'spec', a.issues);
  return a.spec;
}

/** Reads a spec file's text. */
export async function readSpecText(path: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    size = 0; // readFile below reports the real problem
  }
  if (size > MAX_SPEC_BYTES)
    throw invalidArgument('polybus', 'spec', [
      {
        field: '(size)',
        rule: `is ${size} bytes; at most ${MAX_SPEC_BYTES} bytes are accepted`,
        location: path,
      },
    ]);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new PolybusError({
      code: 'InvalidArgument',
      provider: 'polybus',
      operation: 'spec',
      message: `cannot read spec ${path}: ${(err as Error).message}`,
      cause: err,
    });
  }
}

/** Reads and parses a spec file. */
export async function loadSpec(path: string, env?: Record<string, string | undefined>): Promise<Spec> {
  return parseSpec(await readSpecText(path), path, env);
}
