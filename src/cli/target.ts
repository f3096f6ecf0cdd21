/**
 * The one provider a single-target command (publish, trace) works on: `--provider <name>` with the
 * environment's defaults, or `--target <id>` of a spec (`-f`), with that target's region,
 * endpoint and credentials. It must never guess between two targets of the same provider.
 */
import { invalidArgument } from '../core/model/errors.js';
import type { EventProvider } from '../core/contract/provider.js';
import { loadSpec } from '../core/spec/load.js';
import { type Spec, targetIdOf } from '../core/spec/schema.js';
import type { PolybusOptions } from '../sdk/create.js';
import { openProviders, targetOptions, targetsToOpen } from '../sdk/provision.js';

/** The flags that choose the target. */
export interface TargetFlags {
  provider?: string;
  target?: string;
  file?: string;
}

/** The spec (when -f is given) and the target key (a target id of it, or the provider name). */
async function chooseTarget(flags: TargetFlags, command: string): Promise<{ key: string; spec?: Spec }> {
  const usage = (field: string, rule: string) => invalidArgument('polybus', command, [{ field, rule }]);
  if ((flags.provider === undefined) === (flags.target === undefined))
    throw usage('provider', 'give one of --provider <name> or --target <id> (with -f <spec>)');
  if (flags.target !== undefined && flags.file === undefined)
    throw usage('target', '--target names a target of a spec: give the spec with -f <file>');
  const spec = flags.file !== undefined ? await loadSpec(flags.file) : undefined;
  let key = flags.provider ?? flags.target!;
  if (spec) {
    const ids = spec.targets.map((t) => targetIdOf(t));
    if (flags.target !== undefined && !ids.includes(flags.target))
      throw usage(
        'target',
        `--target ${flags.target} is not a target id of ${flags.file} (${ids.join(', ')})`,
      );
    if (flags.provider !== undefined) {
      const same = spec.targets.filter((t) => t.provider === flags.provider).map((t) => targetIdOf(t));
      if (same.length > 1)
        throw usage(
          'provider',
          `${flags.file} has ${same.length} ${flags.provider} targets (${same.join(', ')}): choose one with --target`,
        );
      if (same.length === 1) key = same[0]!;
    }
  }
  return spec ? { key, spec } : { key };
}

/** Opens the provider the flags name; `close` releases it. */
export async function openOneTarget(
  flags: TargetFlags,
  command: string,
): Promise<{ provider: EventProvider; close(): Promise<void> }> {
  const { key, spec } = await chooseTarget(flags, command);
  const open = await openProviders([key], spec);
  return { provider: open.providers[key]!, close: open.close };
}

/**
 * The provider name and client options the flags name, for a native call: the target's region,
 * endpoint and options, and its credentials (a prefixed environment or a profile).
 */
export async function targetClientOptions(
  flags: TargetFlags,
  command: string,
  env: Record<string, string | undefined> = process.env,
): Promise<{ provider: string; options: PolybusOptions }> {
  const { key, spec } = await chooseTarget(flags, command);
  const [t] = targetsToOpen([key], spec);
  return { provider: t!.provider, options: targetOptions(t!, env) };
}
