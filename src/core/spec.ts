/**
 * The declarative spec: buses, sources, connections and integrations declared once, neutrally,
 * with references by name, per-provider overrides and extensions, and target providers. Loading
 * reports every problem at once (file, line, field), before any request.
 */
import { readFile, stat } from 'node:fs/promises';
import type * as Yaml from 'yaml';
import type { Node } from 'yaml';
import { z } from 'zod';
import { invalidArgument, PolybusError, type ValidationIssue } from './errors.js';
import {
  CONNECTION_KINDS,
  ExtensionsSchema,
  KafkaSchema,
  NetworkSchema,
  type ResourceKind,
  SOURCE_KINDS,
  TagsSchema,
} from './model.js';
import { lazyRequire } from './lazy.js';
import { isSecretField, registerSecret } from './redact.js';
import { SpecFilterSchema } from './filter.js';
import { DeliverySchema, TargetsSchema } from './routing.js';

/** yaml loads on the first spec parsed, not when polybus is imported. */
const yaml = lazyRequire<typeof Yaml>('yaml');

const common = {
  /** The identity of the item on every provider (match by name). */
  name: z.string().min(1, 'name is required'),
  description: z.string().optional(),
  tags: TagsSchema.optional(),
  extensions: ExtensionsSchema.optional(),
  /**
   * Field overrides by target id or provider name, merged over the item for that target (a
   * provider name's first, then the target id's: the target id wins).
   */
  overrides: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** Restrict the item to these targets (target ids or provider names; default: every target). */
  providers: z.array(z.string()).optional(),
};

/** A bus in the spec. */
export const SpecBusSchema = z.strictObject({
  ...common,
  retentionDays: z.number().int().positive().optional(),
});
/** A source in the spec; `bus` names a spec bus. */
export const SpecSourceSchema = z.strictObject({
  ...common,
  bus: z.string().min(1, 'bus is required (the name of a bus in this spec)'),
  kind: z.enum(SOURCE_KINDS).default('application'),
  detail: z.record(z.string(), z.unknown()).optional(),
});
/** A connection in the spec; `bus` (if any) names a spec bus. */
export const SpecConnectionSchema = z.strictObject({
  ...common,
  bus: z.string().optional(),
  kind: z.enum(CONNECTION_KINDS),
  endpoint: z.string().optional(),
  network: NetworkSchema.optional(),
  kafka: KafkaSchema.optional(),
  /** Switched on (default true). */
  enabled: z.boolean().optional(),
});
/**
 * An integration in the spec; `bus` names a spec bus. `filter` is a neutral filter expression, a
 * list of them (all must hold) or the shorthand `{ source }`; it parses to the canonical filter.
 * A route the neutral language cannot express carries the provider's native filter in
 * `extensions.<provider>` instead (capability row `filter.native`); each target's adapter checks
 * that exactly one of the two is given. `targets` (1..n) say where matched events go and
 * `delivery` what happens when delivery fails; each provider's translator checks what it can express.
 */
export const SpecIntegrationSchema = z
  .strictObject({
    ...common,
    bus: z.string().min(1, 'bus is required (the name of a bus in this spec)'),
    filter: SpecFilterSchema.optional(),
    targets: TargetsSchema.optional(),
    delivery: DeliverySchema.optional(),
    clientToken: z.string().optional(),
    /** Switched on (default true); `false` pauses the route. */
    enabled: z.boolean().optional(),
  })
  .superRefine((item, ctx) => {
    // Without extensions or overrides no provider's native filter can stand in for it.
    if (item.filter === undefined && !item.extensions && !item.overrides)
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message:
          "filter is required: a neutral filter expression (exact, prefix, suffix, all, any, not), a list of them, or { source }; or, for a route the neutral language cannot express, the provider's native filter in extensions.<provider> (capability row filter.native)",
      });
  });

/**
 * Where a target's credentials come from, instead of the provider's default chain:
 * - `profile`: a named profile of the cloud's own profile file (Tencent: a section of
 *   `~/.tencentcloud/credentials`; AWS: a profile of `~/.aws/credentials` / `~/.aws/config`);
 * - `envPrefix`: the provider's usual environment variables, each read with this prefix
 *   (`envPrefix: SH_` reads `SH_TENCENTCLOUD_SECRET_ID`...); the unprefixed ones are then ignored.
 */
export const SpecCredentialsSchema = z
  .strictObject({
    profile: z.string().min(1, 'credentials.profile must name a profile').optional(),
    envPrefix: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*$/,
        'credentials.envPrefix must be letters, digits and _ (a variable name prefix)',
      )
      .optional(),
  })
  .refine((c) => (c.profile === undefined) !== (c.envPrefix === undefined), {
    message: 'credentials takes exactly one of profile or envPrefix',
  });
export type SpecCredentials = z.infer<typeof SpecCredentialsSchema>;

/** A target: one provider in one region/account, addressed by its id. */
export const SpecTargetSchema = z.strictObject({
  /**
   * The target's id (default: the provider name), unique in the file; plan keys, output and
   * `--target` use it. Two targets of one provider need distinct ids.
   */
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
      'id must be 1-63 letters, digits, _ . - starting with a letter or digit',
    )
    .optional(),
  provider: z.string().min(1),
  region: z.string().optional(),
  endpoint: z
    .string()
    .regex(
      /^https?:\/\/[^/\s?#]+/,
      'endpoint must be an http(s) URL such as https://host or http://127.0.0.1:PORT',
    )
    .optional(),
  /** Credentials of this target (default: the provider's default chain). */
  credentials: SpecCredentialsSchema.optional(),
  /** Other adapter options (projectId, iamEndpoint...). */
  options: z.record(z.string(), z.unknown()).optional(),
});
export type SpecTarget = z.infer<typeof SpecTargetSchema>;

/** The id of a target: its `id`, else its provider name. */
export const targetIdOf = (t: { id?: string | undefined; provider: string }): string => t.id ?? t.provider;

/** The whole spec file. */
export const SpecSchema = z.strictObject({
  version: z.literal(1, 'version must be 1'),
  targets: z.array(SpecTargetSchema).min(1, 'at least one target provider is required'),
  buses: z.array(SpecBusSchema).default([]),
  sources: z.array(SpecSourceSchema).default([]),
  connections: z.array(SpecConnectionSchema).default([]),
  integrations: z.array(SpecIntegrationSchema).default([]),
});
export type Spec = z.infer<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;

/** The spec sections, by kind. */
export const SECTION_OF_KIND = {
  bus: 'buses',
  source: 'sources',
  connection: 'connections',
  integration: 'integrations',
} as const satisfies Record<ResourceKind, keyof Spec>;

/** A spec item of any kind. */
export type SpecItem =
  | Spec['buses'][number]
  | Spec['sources'][number]
  | Spec['connections'][number]
  | Spec['integrations'][number];

/** The JSON Schema of the spec file, for editor completion (`polybus schema`). */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SpecSchema, { io: 'input' }) as unknown as Record<string, unknown> & {
    properties: { integrations: { items: { properties: Record<string, unknown> } } };
  };
  // The filter is checked by a refinement (recursive, one dialect per expression): describe it here.
  schema.properties.integrations.items.properties.filter = {
    description:
      "A neutral filter expression, a list of them (all must hold), or the shorthand { source } (= exact: { source }). Required unless the item carries the provider's native filter in extensions.<provider> instead (capability row filter.native); never both",
    anyOf: [
      { $ref: '#/$defs/filterExpression' },
      { type: 'array', minItems: 1, items: { $ref: '#/$defs/filterExpression' } },
      {
        type: 'object',
        properties: { source: { type: 'string', minLength: 1 } },
        required: ['source'],
        additionalProperties: false,
      },
    ],
  };
  const comparison = {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    description:
      'one attribute (source, type, subject, an extension, or data.<path>) and the string it is compared with',
    additionalProperties: { type: 'string' },
  };
  const one = (dialect: string, body: unknown) => ({
    type: 'object',
    properties: { [dialect]: body },
    required: [dialect],
    additionalProperties: false,
  });
  const list = { type: 'array', minItems: 1, items: { $ref: '#/$defs/filterExpression' } };
  schema.$defs = {
    ...(schema.$defs as Record<string, unknown> | undefined),
    filterExpression: {
      anyOf: [
        one('exact', comparison),
        one('prefix', comparison),
        one('suffix', comparison),
        one('all', list),
        one('any', list),
        one('not', { $ref: '#/$defs/filterExpression' }),
      ],
    },
  };
  return {
    ...schema,
    title: 'polybus spec',
    $id: 'https://polybus.dev/spec.schema.json',
  };
}

/** Replaces `${env:NAME}` in strings; a secret-named field's value is registered for redaction. */
function interpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  path: string[],
  issues: ValidationIssue[],
  key = '',
): unknown {
  if (typeof value === 'string') {
    const out = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined)
        issues.push({ field: path.join('.'), rule: `environment variable ${name} is not set` });
      return v ?? '';
    });
    if (isSecretField(key)) registerSecret(out);
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, String(i)], issues));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], issues, k)]),
    );
  }
  return value;
}

/** Largest spec (or `--input`) text accepted, in bytes: refused by length before parsing. */
export const MAX_SPEC_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of maps and sequences accepted (a real spec needs about 6). */
export const MAX_SPEC_DEPTH = 64;
/** Most alias expansions accepted (YAML "billion laughs" bombs exceed it). */
export const MAX_SPEC_ALIASES = 100;

/** Deepest `[`/`{` nesting of flow collections, outside quotes and comments, stopping past `limit`. */
function flowDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length && max <= limit; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

/** Deepest nesting of a parsed value (iterative, so depth itself cannot overflow the stack). */
function valueDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length && max <= limit) {
    const [v, d] = stack.pop()!;
    if (v && typeof v === 'object') {
      max = Math.max(max, d + 1);
      for (const inner of Object.values(v)) stack.push([inner, d + 1]);
    }
  }
  return max;
}

/** What makes a YAML text too large or too deep to parse safely, before parsing it. */
function textLimitIssues(text: string): ValidationIssue[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SPEC_BYTES)
    return [{ field: '(size)', rule: `is ${bytes} bytes; at most ${MAX_SPEC_BYTES} bytes are accepted` }];
  if (flowDepth(text, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH)
    return [{ field: '(nesting)', rule: `nests deeper than ${MAX_SPEC_DEPTH} levels` }];
  return [];
}

/**
 * Parses YAML (or JSON) with the spec's limits: size, nesting depth, alias expansions, unique keys.
 * Returns the value or every problem; never throws on hostile text.
 */
function parseLimitedYaml(text: string): { value?: unknown; issues: ValidationIssue[] } {
  const early = textLimitIssues(text);
  if (early.length) return { issues: early };
  const tooDeep = { field: '(nesting)', rule: `nests too deep to parse (at most ${MAX_SPEC_DEPTH} levels)` };
  let doc: ReturnType<typeof Yaml.parseDocument>;
  try {
    doc = yaml().parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof RangeError) return { issues: [tooDeep] };
    throw err;
  }
  if (doc.errors.length)
    return {
      issues: doc.errors.map((e) =>
        e.message.includes('Maximum call stack size exceeded')
          ? tooDeep
          : {
              field: '(syntax)',
              rule: e.message.split('\n')[0] ?? e.message,
              ...(e.linePos?.[0] ? { location: String(e.linePos[0].line) } : {}),
            },
      ),
    };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_SPEC_ALIASES });
  } catch (err) {
    const rule =
      err instanceof ReferenceError && /alias/i.test(err.message)
        ? `expands more than ${MAX_SPEC_ALIASES} aliases (a YAML alias bomb?)`
        : `cannot be read: ${(err as Error).message}`;
    return { issues: [{ field: '(syntax)', rule }] };
  }
  if (valueDepth(value, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH)
    return { issues: [{ field: '(nesting)', rule: `nests deeper than ${MAX_SPEC_DEPTH} levels` }] };
  return { value, issues: [] };
}

/** Parses a YAML or JSON input file's text (`--input`) under the spec's limits; InvalidArgument otherwise. */
export function parseYamlInput(text: string, file = 'input'): unknown {
  const { value, issues } = parseLimitedYaml(text);
  if (issues.length)
    throw invalidArgument(
      'polybus',
      'input',
      issues.map((i) => ({ ...i, location: i.location ? `${file}:${i.location}` : file })),
    );
  return value;
}

/** Where a path sits in the YAML source, as `file:line`. */
function locator(file: string, text: string) {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  } catch {
    doc = undefined;
  }
  return (path: (string | number)[]): string => {
    if (!doc) return file;
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node && (isMap(node) || isSeq(node) || isScalar(node)) && node.range)
        return `${file}:${lines.linePos(node.range[0]).line}`;
    }
    return file;
  };
}

const locators = new WeakMap<Spec, (path: (string | number)[]) => string>();

/** `file:line` of a path inside a parsed spec (the file name alone when unknown). */
export function locationOf(spec: Spec, field: string): string | undefined {
  return locators.get(spec)?.(field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
}

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
  const raw = interpolate(limited.value, env, [], issues);
  const data = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const parsed = SpecSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const extra = i.code === 'unrecognized_keys' ? `: ${i.keys.join(', ')}` : '';
      issues.push({
        field: i.path.map(String).join('.') || '(spec)',
        rule: `${i.message}${extra}`,
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

/**
 * The item as one target sees it: overrides for its provider name, then for its target id,
 * merged in (a null unsets the field); `overrides` and `providers` removed. Undefined when the item is restricted to
 * other targets (`providers` lists neither the target id nor its provider).
 */
export function itemFor<T extends SpecItem>(
  item: T,
  provider: string,
  target: string = provider,
): Omit<T, 'overrides' | 'providers'> | undefined {
  if (item.providers && !item.providers.includes(provider) && !item.providers.includes(target))
    return undefined;
  const { overrides, providers: _p, ...rest } = item;
  const layers = [overrides?.[provider], target !== provider ? overrides?.[target] : undefined].filter(
    (o): o is Record<string, unknown> => o !== undefined,
  );
  const merged: Record<string, unknown> = { ...rest };
  let extensions = rest.extensions as Record<string, Record<string, unknown>> | undefined;
  for (const o of layers) {
    Object.assign(merged, o);
    if (o.extensions)
      extensions = { ...extensions, ...(o.extensions as Record<string, Record<string, unknown>>) };
  }
  if (extensions) merged.extensions = extensions;
  // An override's null unsets the field for this target: the view has no such field at all.
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  return merged as Omit<T, 'overrides' | 'providers'>;
}
