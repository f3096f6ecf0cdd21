/**
 * `polybus/emulators`: the bundled loopback emulators for users' own tests, as people use moto or
 * LocalStack: start them in-process, point polybus at them, stop them. The credentials it hands
 * out are the emulators' fixed test keys, nobody's secrets; it must never reach a real cloud.
 */
import { startEach } from './all.js';
import type { StartedEmulator as Started } from '../core/contract/definition.js';
import { invalidArgument } from '../core/model/errors.js';
import {
  definitionOf,
  isProviderName,
  PROVIDER_NAMES,
  type ProviderCredentialsMap,
  type ProviderName,
} from '../sdk/create.js';

/** Options of {@link startEmulators}. */
export interface StartEmulatorsOptions {
  /** Which emulators to start (default: all). Each loads only its own adapter's emulator. */
  providers?: readonly ProviderName[];
}

/** Running emulators and how to reach them. */
export interface Emulators {
  /** Base URL (`http://127.0.0.1:PORT`) of each started emulator. */
  endpoints: { [P in ProviderName]?: string };
  /**
   * Environment that points polybus (library defaults and CLI) at the emulators, test credentials
   * included: `createPolybus({ env: emulators.env })`.
   */
  env: Record<string, string>;
  /** The test credentials each started emulator accepts. */
  credentials: { [P in ProviderName]?: ProviderCredentialsMap[P] };
  /** Stops every started emulator. */
  stop(): Promise<void>;
}

/**
 * Starts the bundled emulators on 127.0.0.1 with free ports. They speak each provider's real wire
 * format and check signatures, so code under test runs the same path as against the cloud.
 *
 * @example
 * const emulators = await startEmulators();
 * const polybus = createPolybus({ env: emulators.env });
 * const tencent = await resolveProvider(polybus, 'tencent');
 * await tencent.buses.create({ name: 'orders' });
 * await emulators.stop();
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const names = [...new Set(options.providers ?? PROVIDER_NAMES)];
  const wrong = names.filter((n) => !isProviderName(n));
  if (wrong.length)
    throw invalidArgument('polybus', 'startEmulators', [
      { field: 'providers', rule: `unknown ${wrong.join(', ')}; valid names: ${PROVIDER_NAMES.join(', ')}` },
    ]);
  const started = await startEach(names.map((n) => definitionOf(n)!));
  const stop = async () => {
    await Promise.all(Object.values(started).map((s) => s.close()));
  };
  const entries = Object.entries(started) as [ProviderName, Started][];
  return {
    endpoints: Object.fromEntries(entries.map(([n, s]) => [n, s.url])),
    env: Object.assign({}, ...entries.map(([, s]) => s.env)) as Record<string, string>,
    credentials: Object.fromEntries(entries.map(([n, s]) => [n, s.credentials])),
    stop,
  };
}
