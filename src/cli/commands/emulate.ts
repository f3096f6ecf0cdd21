/**
 * `polybus emulate`: starts the loopback emulators and prints the environment that points polybus
 * (and a user's own clients) at them; `--once` prints and stops.
 */
import type { Command } from 'commander';
import type { Io } from '../render/output.js';

/** Registers `emulate`. */
export function registerEmulateCommand(
  program: Command,
  io: Io,
  run: (fn: (json: boolean) => Promise<void>, cmd: Command) => Promise<void>,
): void {
  program
    .command('emulate')
    .description('start the loopback emulators and print the environment that points polybus at them')
    .option('--once', 'print and stop (for scripts and tests)')
    .action(async (o: { once?: boolean }, cmd: Command) =>
      run(async (json) => {
        const { startEmulators } = await import('../../testing/all.js');
        const running = await startEmulators();
        if (json)
          io.out(
            JSON.stringify(
              {
                endpoints: running.endpoints,
                env: running.env,
                targetEnv: running.targetEnv,
                notes: running.notes,
              },
              null,
              2,
            ),
          );
        else {
          io.out('polybus emulators (loopback only):');
          for (const [name, url] of Object.entries(running.endpoints)) io.out(`  ${name.padEnd(12)} ${url}`);
          io.out('\n# point polybus at them:');
          for (const [k, v] of Object.entries(running.env)) io.out(`export ${k}=${v}`);
          io.out('\n# per-target credentials (examples/fleet.yaml):');
          for (const n of running.notes) io.out(`# ${n}`);
          for (const [k, v] of Object.entries(running.targetEnv)) io.out(`export ${k}=${v}`);
          if (!o.once) io.out('\n(Ctrl-C to stop)');
        }
        if (o.once) return running.close();
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      }, cmd),
    );
}
