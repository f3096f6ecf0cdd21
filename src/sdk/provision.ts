/**
 * Provisioning from code: the engine the CLI's plan/apply/destroy use, as a library API. `plan`
 * loads and checks a spec whole (schema, references, each target's documented rules) and opens
 * its targets before any change; `apply` runs that plan; `destroy` removes what a spec declares.
 * It loads no CLI library; every failure is a PolybusError.
 */
import { createHash } from 'node:crypto';
import { type ApplyEvent, type ApplyOutcome, applyPlan } from '../core/engine/apply.js';
import { type Polybus, resolveProvider } from '../core/runtime/container.js';
import { invalidArgument, type ValidationIssue } from '../core/model/errors.js';
import { isSecretEnvName, isSecretField } from '../core/runtime/redact.js';
import { type Plan, planChanges, specProviderIssues } from '../core/engine/plan/index.js';
import type { EventProvider } from '../core/contract/provider.js';
import { analyzeSpec, readSpecText } from '../core/spec/load.js';
import {
  type Spec,
  type SpecCredentials,
  type SpecInput as LooseSpecInput,
  targetIdOf,
} from '../core/spec/schema.js';
import type { ProviderFactory } from '../core/runtime/container.js';
import {
  createPolybus,
  definitionOf,
  envWithPrefix,
  type PolybusOptions,
  type ProviderName,
  providerNames,
} from './create.js';

/**
 * A spec as you write it in code: what a YAML spec file holds, with each target's `provider`
 * one of the names it can open (`'tencnet'` does not compile). Defaults are optional.
 *
 * @typeParam P - the provider names a target may name: the bundled ones, plus the names of your
 *   `extraProviders`
 * @example
 * const spec: SpecInput = {
 *   version: 1,
 *   targets: [{ provider: 'tencent', region: 'ap-guangzhou' }],
 *   buses: [{ name: 'orders', retentionDays: 7 }],
 *   integrations: [
 *     {
 *       name: 'paid',
 *       bus: 'orders',
 *       filter: { type: 'order.paid' },
 *       targets: [{ id: 'hook', kind: 'http', url: 'https://example.com/hook' }],
 *     },
 *   ],
 * };
 * const outcomes = await apply(await plan(spec));
 */
export type SpecInput<P extends string = ProviderName> = Omit<LooseSpecInput, 'targets'> & {
  targets: (Omit<LooseSpecInput['targets'][number], 'provider'> & { provider: P })[];
};

/** Providers opened for one command (by target id), closed together. */
export interface OpenProviders {
  providers: Record<string, EventProvider>;
  close(): Promise<void>;
}

/** One target to open: its id, its provider, the adapter options and its credentials. */
export interface TargetToOpen {
  id: string;
  provider: string;
  options: Record<string, unknown>;
  credentials?: SpecCredentials;
}

/**
 * The targets behind `names`: a spec target with that id, else the spec's first target of that
 * provider, else the bare provider of that name (with the default options and credentials).
 */
export function targetsToOpen(names: string[], spec?: Spec): TargetToOpen[] {
  return names.map((n) => {
    const t = spec?.targets.find((x) => targetIdOf(x) === n) ?? spec?.targets.find((x) => x.provider === n);
    if (!t) return { id: n, provider: n, options: {} };
    return {
      id: n,
      provider: t.provider,
      options: {
        ...t.options,
        ...(t.region ? { region: t.region } : {}),
        ...(t.endpoint ? { endpoint: t.endpoint } : {}),
        ...(t.credentials?.profile ? { profile: t.credentials.profile } : {}),
      },
      ...(t.credentials ? { credentials: t.credentials } : {}),
    };
  });
}

/**
 * The rate-limit scope of a target: a digest of its provider and of what names its account and
 * region: its options (region, endpoint, profile, project...) and the provider's own environment
 * variables as the target sees them (`TENCENTCLOUD_SECRET_ID`, `AWS_ACCESS_KEY_ID`,
 * `HUAWEICLOUD_PROJECT_ID`, the region, `POLYBUS_<P>_ENDPOINT`...), secret-named ones (keys,
 * tokens, passwords) left out. Targets of one account and region get the same scope, so their
 * transports share the account's rate limits; a digest, so no identifier is kept in clear.
 */
export function limitScopeOf(t: TargetToOpen, env: Record<string, string | undefined>): string {
  const namespaces = [
    ...(definitionOf(t.provider)?.envNamespaces ?? []),
    `POLYBUS_${t.provider.toUpperCase()}_`,
  ];
  const identity = Object.entries(env)
    .filter(([k, v]) => v !== undefined && namespaces.some((n) => k.startsWith(n)) && !isSecretEnvName(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const options = Object.entries(t.options)
    .filter(([k]) => !isSecretField(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash('sha256')
    .update(JSON.stringify([t.provider, options, identity]))
    .digest('hex');
  return `${t.provider}:${digest.slice(0, 32)}`;
}

/**
 * The library options of one target: its adapter options, its environment (the variables under
 * its `credentials.envPrefix`, or the environment as it is), and its rate-limit scope (targets of
 * one account and region share the account's limits: see {@link limitScopeOf}).
 */
export function targetOptions(
  t: TargetToOpen,
  env: Record<string, string | undefined>,
  client: ClientOptions = {},
): PolybusOptions {
  const prefix = t.credentials?.envPrefix;
  const own = prefix ? envWithPrefix(env, t.provider, prefix) : env;
  const extra = client.extraProviders?.[t.provider];
  const codeOptions = (client.providers as Record<string, object | undefined> | undefined)?.[t.provider];
  const codeCredentials = (client.credentials as Record<string, unknown> | undefined)?.[t.provider];
  const options = { ...codeOptions, ...t.options };
  return {
    env: own,
    ...(client.clock ? { clock: client.clock } : {}),
    ...(client.transport ? { transport: client.transport } : {}),
    ...(Object.keys(options).length && !extra
      ? { providers: { [t.provider]: options } as PolybusOptions['providers'] }
      : {}),
    // credentials given in code apply to the provider's targets that declare none of their own
    ...(codeCredentials && !t.credentials
      ? { credentials: { [t.provider]: codeCredentials } as PolybusOptions['credentials'] }
      : {}),
    ...(extra ? { extraProviders: { [t.provider]: extra } } : {}),
    transportOptions: { ...client.transportOptions, limitScope: limitScopeOf(t, own) },
  };
}

/**
 * What a client takes (see `createPolybus`), as `plan`, `apply`, `destroy` and
 * {@link openProviders} take it: per-provider options and credentials, extra providers, the
 * transport, its options and the clock. The environment is given separately.
 */
export type ClientOptions = Omit<PolybusOptions, 'env'>;

/**
 * Opens one provider per name (a target id of `spec`, or a provider name), keyed by that name.
 * Each target gets its own container: its options, its credentials (a profile, or its own
 * prefixed environment) and its own transport and connections; targets of one account and region
 * share their rate-limit buckets (see {@link limitScopeOf}).
 */
export async function openProviders(
  names: string[],
  spec?: Spec,
  env: Record<string, string | undefined> = process.env,
  client: ClientOptions = {},
): Promise<OpenProviders> {
  const targets = targetsToOpen(names, spec);
  const known = [...providerNames(), ...Object.keys(client.extraProviders ?? {})];
  for (const t of targets) {
    const bundled = definitionOf(t.provider);
    if (!bundled) {
      if (client.extraProviders?.[t.provider]) continue;
      throw invalidArgument('polybus', 'cli', [
        { field: 'provider', rule: `${t.provider} is not one of ${known.join(', ')}` },
      ]);
    }
    if (t.credentials?.profile !== undefined && !bundled.profiles)
      throw invalidArgument('polybus', 'cli', [
        {
          field: 'credentials.profile',
          rule: `target ${t.id}: ${bundled.displayName} has no named credential profiles; use credentials.envPrefix (its own ${bundled.envNamespaces.join('/')}* variables)`,
        },
      ]);
  }
  const containers: Polybus[] = [];
  const providers: Record<string, EventProvider> = {};
  const closeAll = async () => {
    await Promise.all(Object.values(providers).map((p) => p.close()));
    await Promise.all(containers.map((c) => c.close()));
  };
  try {
    for (const t of targets) {
      const container = createPolybus(targetOptions(t, env, client));
      containers.push(container);
      providers[t.id] = await resolveProvider(container, t.provider);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { providers, close: closeAll };
}

/**
 * Options of {@link plan} and {@link destroy}: the client's options (as `createPolybus` takes
 * them: credentials and options per provider, `extraProviders`, transport, clock) and the
 * provisioning ones. Credentials given in code apply to each target of that provider whose spec
 * entry declares no `credentials` of its own; options given in code sit under the target's
 * `region`, `endpoint` and `options` from the spec.
 *
 * @example
 * const p = await plan('spec.yaml', {
 *   credentials: { tencent: async () => ({ secretId: vault.id, secretKey: vault.key }) },
 *   targets: ['tencent'],
 * });
 */
export interface ProvisionOptions extends ClientOptions {
  /** Environment for credentials and endpoint overrides (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Only these targets (ids or provider names; default every target of the spec). */
  targets?: string[];
  /** Also delete children on spec buses that the spec does not declare. */
  prune?: boolean;
  signal?: AbortSignal;
}

/** A plan made from code: the items, the spec it came from, and the targets it opened. */
export interface ProvisionPlan extends Plan {
  spec: Spec;
  /** The target ids planned. */
  targets: string[];
  /** True when the plan removes everything the spec declares. */
  destroy: boolean;
  /** Releases the opened targets' connections (`apply` does it unless told to keep them). */
  close(): Promise<void>;
  /** @internal the opened providers, by target id */
  readonly providers: Record<string, EventProvider>;
}

/** Options of {@link apply}. */
export interface ProvisionApplyOptions {
  /** Items in flight at once (each provider's rate limits still apply). Default 4. */
  concurrency?: number;
  /** Progress: step starts and outcomes, as the CLI's progress bar sees them. */
  onProgress?: (event: ApplyEvent) => void;
  signal?: AbortSignal;
  /** Keep the targets open after apply (to plan again with them); default false. */
  keepOpen?: boolean;
}

/** The client's part of provisioning options. */
function clientOf(o: ProvisionOptions): ClientOptions {
  const { clock, transport, transportOptions, providers, credentials, extraProviders } = o;
  return {
    ...(clock ? { clock } : {}),
    ...(transport ? { transport } : {}),
    ...(transportOptions ? { transportOptions } : {}),
    ...(providers ? { providers } : {}),
    ...(credentials ? { credentials } : {}),
    ...(extraProviders ? { extraProviders } : {}),
  };
}

/** A spec a provisioning call takes: a file path, or a spec object naming known providers. */
type SourceFor<X> = string | SpecInput<ProviderName | (keyof NoInfer<X> & string)>;
/** Extra providers, by name (see `PolybusOptions.extraProviders`). */
type Extras = Readonly<Record<string, ProviderFactory>>;

/**
 * Loads a spec (a file path, or a spec object as in a YAML file), checks it whole and opens its
 * targets. Every problem (unknown field, dangling reference, unknown provider, a target's naming
 * rules) is one `InvalidArgument` listing them all, before any request.
 */
async function prepare(
  source: string | SpecInput<string>,
  options: ProvisionOptions,
): Promise<{ spec: Spec; open: OpenProviders; targets: string[] }> {
  const text = typeof source === 'string' ? await readSpecText(source) : JSON.stringify(source);
  const file = typeof source === 'string' ? source : 'spec';
  const analysis = analyzeSpec(text, file, options.env ?? process.env);
  const declared = (analysis.spec?.targets ?? []).map((t) => ({ id: targetIdOf(t), provider: t.provider }));
  const issues: ValidationIssue[] = [...analysis.issues];
  const known = [...providerNames(), ...Object.keys(options.extraProviders ?? {})];
  declared.forEach((t, i) => {
    if (!known.includes(t.provider))
      issues.push({
        field: `targets.${i}.provider`,
        rule: `${t.provider} is not a provider polybus knows (one of ${known.join(', ')})`,
      });
  });
  for (const n of options.targets ?? [])
    if (!declared.some((t) => t.id === n || t.provider === n))
      issues.push({ field: 'targets', rule: `${n} is not a target of the spec` });
  if (issues.length || !analysis.spec) throw invalidArgument('polybus', 'spec', issues);
  const targets = declared
    .filter((t) => !options.targets || options.targets.includes(t.id) || options.targets.includes(t.provider))
    .map((t) => t.id);
  const open = await openProviders(targets, analysis.spec, options.env ?? process.env, clientOf(options));
  const providerIssues = specProviderIssues(analysis.spec, open.providers, analysis.locate);
  if (providerIssues.length) {
    await open.close();
    throw invalidArgument('polybus', 'spec', providerIssues);
  }
  return { spec: analysis.spec, open, targets };
}

async function planWith(
  source: string | SpecInput<string>,
  options: ProvisionOptions,
  destroy: boolean,
): Promise<ProvisionPlan> {
  const { spec, open, targets } = await prepare(source, options);
  try {
    const made = await planChanges(spec, open.providers, {
      targets,
      destroy,
      ...(options.prune ? { prune: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return Object.assign(made, {
      spec,
      targets,
      destroy,
      close: open.close,
      providers: open.providers,
    }) as ProvisionPlan;
  } catch (err) {
    await open.close();
    throw err;
  }
}

/**
 * Plans a spec against live state: what `apply` would create, update, replace or delete on each
 * target, with what a provider cannot express marked `unsupported` and unreadable items `error`.
 * Changes nothing.
 *
 * @example
 * const p = await plan('examples/demo.yaml', { env: emulators.env });
 * console.log(p.items.map((i) => `${i.action} ${i.target} ${i.kind} ${i.name}`));
 * const outcomes = await apply(p);
 */
export function plan<const X extends Extras = Record<never, never>>(
  source: SourceFor<X>,
  options: ProvisionOptions & { extraProviders?: X } = {},
): Promise<ProvisionPlan> {
  return planWith(source, options, false);
}

/** Runs a plan made by {@link plan} or {@link planDestroy}: one outcome per item. */
export async function apply(p: ProvisionPlan, options: ProvisionApplyOptions = {}): Promise<ApplyOutcome[]> {
  try {
    return await applyPlan(p, p.providers, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.onProgress ? { onEvent: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    if (!options.keepOpen) await p.close();
  }
}

/** Plans the removal of everything a spec declares (and nothing else). */
export function planDestroy<const X extends Extras = Record<never, never>>(
  source: SourceFor<X>,
  options: ProvisionOptions & { extraProviders?: X } = {},
): Promise<ProvisionPlan> {
  return planWith(source, options, true);
}

/** Removes everything a spec declares: {@link planDestroy}, then {@link apply}. */
export async function destroy<const X extends Extras = Record<never, never>>(
  source: SourceFor<X>,
  options: ProvisionOptions & Omit<ProvisionApplyOptions, 'keepOpen'> & { extraProviders?: X } = {},
): Promise<ApplyOutcome[]> {
  return apply(await planDestroy(source, options), options);
}
