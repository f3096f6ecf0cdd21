/**
 * `polybus call <provider> <Action> [--input file.json|-]`: the native escape hatch on the command
 * line. Sends one documented action by its native name with polybus's credentials and signing and
 * prints the native response as redacted JSON. It never prints a secret and never guesses an action.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { invalidArgument } from '../../core/model/errors.js';
import { NATIVE_ACTIONS } from '../../sdk/native.js';
import { type Io, printJson } from '../render/output.js';
import { targetClientOptions } from '../target.js';

/** Largest input accepted (the providers' own request limits are far below). */
const MAX_INPUT_BYTES = 1024 * 1024;

/** Reads all of stdin as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The action's input: a JSON object from a file or stdin (`-`); `{}` without --input. */
async function readInput(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw invalidArgument('polybus', 'call', [
      { field: 'input', rule: `cannot read ${path}: ${(err as Error).message}` },
    ]);
  }
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES)
    throw invalidArgument('polybus', 'call', [
      { field: 'input', rule: `at most ${MAX_INPUT_BYTES} bytes are accepted` },
    ]);
  let value: unknown;
  try {
    value = text.trim() ? JSON.parse(text) : {};
  } catch (err) {
    throw invalidArgument('polybus', 'call', [
      { field: 'input', rule: `must be JSON: ${(err as Error).message}` },
    ]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument('polybus', 'call', [
      { field: 'input', rule: "must be a JSON object of the action's native parameters" },
    ]);
  return value as Record<string, unknown>;
}

/** Registers `call` on `program`. */
export function registerCallCommand(
  program: Command,
  io: Io,
  run: (fn: (json: boolean) => Promise<void>, cmd: Command) => Promise<void>,
): void {
  program
    .command('call')
    .description(
      "send one native action by its native name (the provider's own action, operation or command) and print the native response as JSON",
    )
    .argument('<provider>', `provider (${Object.keys(NATIVE_ACTIONS).join(', ')})`)
    .argument('<action>', 'native action name, e.g. ListEventBuses, ListChannels, ListEventIntegrations')
    .option('--input <file>', "JSON file with the action's native parameters (- for stdin)")
    .option('--target <id>', 'a target of the spec given with -f (its region, endpoint and credentials)')
    .option('-f, --file <spec>', 'the spec whose target --target names')
    .action(
      async (
        provider: string,
        action: string,
        o: { input?: string; target?: string; file?: string },
        cmd: Command,
      ) =>
        run(async () => {
          const { callNative } = await import('../../sdk/native.js');
          const chosen =
            o.target !== undefined || o.file !== undefined
              ? await targetClientOptions(
                  o.target !== undefined ? { target: o.target, file: o.file } : { provider, file: o.file },
                  'call',
                )
              : undefined;
          if (chosen && chosen.provider !== provider)
            throw invalidArgument('polybus', 'call', [
              {
                field: 'target',
                rule: `--target ${o.target} is a ${chosen.provider} target, not ${provider}`,
              },
            ]);
          // Checked before reading stdin, so a misspelled action fails at once.
          const known = (NATIVE_ACTIONS as Record<string, readonly string[] | undefined>)[provider];
          const input = known?.includes(action) ? await readInput(o.input) : {};
          printJson(io, await callNative(provider, action, input, chosen?.options));
        }, cmd),
    );
}
