/**
 * Starts every bundled emulator on loopback and says how to point polybus at them (endpoint
 * variables plus the emulators' own test credentials, which are not secrets of anyone's). What each
 * emulator needs comes from its provider's definition (`startEmulator`); this file names none.
 */
import { PROVIDERS } from '../adapters/registry.js';
import type { StartedEmulator } from '../core/contract/definition.js';

type Definitions = (typeof PROVIDERS)[number];
type EmulatorOf<D> = D extends { startEmulator(): Promise<StartedEmulator<unknown, infer E>> } ? E : never;

/** Each bundled provider's emulator, by provider name. */
export type EmulatorInstances = { [D in Definitions as D['name']]: EmulatorOf<D> };

/** Running emulators: each one by its provider's name, and what points polybus at them. */
export type RunningEmulators = EmulatorInstances & {
  endpoints: Record<string, string>;
  /** Environment that points the CLI and library defaults at the emulators. */
  env: Record<string, string>;
  /**
   * Variables for per-target credentials, beside `env`: a second account's keys under the prefix
   * `POLYBUS_EMULATOR_2_` (for a target with `credentials: { envPrefix: POLYBUS_EMULATOR_2_ }`).
   */
  targetEnv: Record<string, string>;
  /** What per-target credentials need (second account, second project), one line each. */
  notes: string[];
  /** Each started emulator as its definition describes it (census, throttle, settle). */
  started: Record<string, StartedEmulator>;
  close(): Promise<void>;
};

/**
 * Starts each definition's emulator, in order, by provider name; when one fails to start, those
 * already started are stopped before the error is thrown.
 */
export async function startEach(
  definitions: readonly { name: string; startEmulator(): Promise<unknown> }[],
): Promise<Record<string, StartedEmulator>> {
  const started: Record<string, StartedEmulator> = {};
  try {
    for (const d of definitions) started[d.name] = (await d.startEmulator()) as StartedEmulator;
  } catch (err) {
    await Promise.all(Object.values(started).map((s) => s.close()));
    throw err;
  }
  return started;
}

/** Starts all emulators on 127.0.0.1 with free ports. */
export async function startEmulators(): Promise<RunningEmulators> {
  const started = await startEach(PROVIDERS);
  const all = Object.entries(started);
  return {
    ...(Object.fromEntries(all.map(([n, s]) => [n, s.instance])) as EmulatorInstances),
    endpoints: Object.assign({}, ...all.map(([n, s]) => ({ [n]: s.url, ...s.endpoints }))) as Record<
      string,
      string
    >,
    env: Object.assign({}, ...all.map(([, s]) => s.env)) as Record<string, string>,
    targetEnv: Object.assign({}, ...all.map(([, s]) => s.targetEnv ?? {})) as Record<string, string>,
    notes: [
      'Each emulator keeps its state per region or project, as its provider scopes it.',
      ...all.flatMap(([, s]) => s.notes ?? []),
    ],
    started,
    close: async () => {
      await Promise.all(all.map(([, s]) => s.close()));
    },
  };
}
