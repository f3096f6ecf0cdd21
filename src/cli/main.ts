/**
 * The `polybus` command. Parses arguments with commander, dispatches, and maps every failure to
 * exit 1 (2 for usage errors) with one error format. Never prints a secret.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { buildMatrix } from '../core/model/capabilities.js';
import { renderMatrixJson, renderMatrixMarkdown, renderMatrixText } from './render/capabilities.js';
import { isPolybusError } from '../core/model/errors.js';
import { BUNDLED_PROVIDERS, loadCapabilities } from '../sdk/create.js';
import { registerCallCommand } from './commands/call.js';
import { registerEmulateCommand } from './commands/emulate.js';
import { registerFilterCommands } from './commands/filter.js';
import { type Io, isUsageError, printError, processIo } from './render/output.js';
import { registerProvisionCommands } from './commands/provision.js';
import { registerPublishCommands } from './commands/publish.js';
import { registerResourceCommands } from './commands/resources.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Builds the program; `io` is injectable for tests. Returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('polybus')
    .description(
      `One provider-neutral interface over cloud event-integration services (${BUNDLED_PROVIDERS.map((p) => p.displayName).join(', ')}).`,
    )
    .version(VERSION, '-v, --version')
    .option('--json', 'machine-readable JSON output (errors as {"error": ...})')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const run = async (fn: (json: boolean) => Promise<void>, cmd: Command) => {
    const json = Boolean(cmd.optsWithGlobals().json);
    try {
      await fn(json);
    } catch (err) {
      printError(io, err, json);
      // Ctrl-C at a prompt: the shell's code for an interrupt.
      const interrupted = isPolybusError(err) && err.code === 'Cancelled' && err.providerCode === 'SIGINT';
      exitCode = Math.max(exitCode, interrupted ? 130 : isUsageError(err) ? 2 : 1);
    }
  };

  program
    .command('capabilities')
    .description('show what each provider supports (native / emulated / reference-only / unsupported)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'),
    )
    .option('--provider <name...>', 'only these providers')
    .action(async (o: { format: string; provider?: string[] }, cmd: Command) =>
      run(async (json) => {
        const matrix = buildMatrix(await loadCapabilities(o.provider));
        const format = json ? 'json' : o.format;
        io.out(
          format === 'json'
            ? renderMatrixJson(matrix)
            : format === 'markdown'
              ? renderMatrixMarkdown(matrix)
              : renderMatrixText(matrix),
        );
      }, cmd),
    );

  registerEmulateCommand(program, io, run);

  program
    .command('demo')
    .description('the main job: run an example end to end against in-process emulators (no account needed)')
    .action(async (_o: unknown, cmd: Command) =>
      run(async (json) => {
        const { runDemo } = await import('./commands/demo.js');
        await runDemo(io, json);
      }, cmd),
    );

  registerResourceCommands(program, io, run);
  registerCallCommand(program, io, run);
  registerFilterCommands(program, io, run, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  registerPublishCommands(program, io, run, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  registerProvisionCommands(program, io, run, (code) => {
    exitCode = Math.max(exitCode, code);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    printError(io, err, argv.includes('--json'));
    return isUsageError(err) ? 2 : 1;
  }
  return exitCode;
}
