/**
 * `polybus emulate`: starts the loopback emulators and prints the environment that points polybus
 * (and a user's own clients) at them.
 *
 * - in the foreground (default) until Ctrl-C, SIGTERM or SIGHUP, or until the process that started
 *   it goes away (`npx` killed): the emulators never outlive their parent as an orphan;
 * - `--once` prints and stops (for scripts that only need the variables' names);
 * - `--background` starts them in a detached process and prints only `export` lines, so
 *   `eval "$(polybus emulate --background)"` works in one shell line and in CI; `--stop` stops it
 *   (the pid from `POLYBUS_EMULATE_PID`, which the eval sets, or the pid file).
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { PolybusError } from '../../core/model/errors.js';
import type { Io } from '../render/output.js';

/** The hidden flag the detached process runs with. */
const CHILD_FLAG = '--background-child';
/** How often a foreground emulator checks that its parent is still there. */
const PARENT_POLL_MS = 1000;

interface EmulateFlags {
  once?: boolean;
  background?: boolean;
  stop?: boolean;
  pidFile?: string;
  backgroundChild?: boolean;
}

/** What a started set of emulators reports. */
interface Started {
  endpoints: Record<string, string>;
  env: Record<string, string>;
  targetEnv: Record<string, string>;
  notes: string[];
}

/** The default pid file: one per user, in the temporary folder. */
export function defaultPidFile(): string {
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    // no user name (a container without passwd entry): the shared name is fine
  }
  return join(tmpdir(), `polybus-emulate-${user.replace(/[^\w.-]/g, '_')}.pid`);
}

/** A value quoted for a POSIX shell (`eval` of the output must not run anything). */
const shellQuote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

const failure = (message: string) =>
  new PolybusError({ code: 'NotFound', provider: 'polybus', operation: 'emulate', message });

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
    .option(
      '--background',
      'start them in a detached process and print only export lines: eval "$(polybus emulate --background)"',
    )
    .option('--stop', 'stop the emulators --background started ($POLYBUS_EMULATE_PID, else the pid file)')
    .option(
      '--pid-file <file>',
      `with --background/--stop: where the pid is kept (default ${defaultPidFile()})`,
    )
    .addOption(new Option(CHILD_FLAG).hideHelp())
    .action(async (o: EmulateFlags, cmd: Command) =>
      run(async (json) => {
        if (o.stop) return stopBackground(io, o.pidFile);
        if (o.background) return startBackground(io, o.pidFile ?? defaultPidFile(), json);
        await foreground(io, o, json);
      }, cmd),
    );
}

/** Runs the emulators in this process: prints, then serves until told to stop (or `--once`). */
async function foreground(io: Io, o: EmulateFlags, json: boolean): Promise<void> {
  const { startEmulators } = await import('../../testing/all.js');
  const running = await startEmulators();
  if (o.backgroundChild) {
    process.send?.(summary(running), () => process.disconnect?.());
  } else if (json) io.out(JSON.stringify(summary(running), null, 2));
  else printForPeople(io, running, !o.once);
  if (o.once) return running.close();
  const parent = process.ppid;
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
    // The parent (npx, a shell, a CI step) went away without a signal: stop with it.
    if (!o.backgroundChild)
      setInterval(() => {
        if (process.ppid !== parent) resolve();
      }, PARENT_POLL_MS).unref();
  });
  await running.close();
}

const summary = (r: Started): Started => ({
  endpoints: r.endpoints,
  env: r.env,
  targetEnv: r.targetEnv,
  notes: r.notes,
});

function printForPeople(io: Io, running: Started, serving: boolean): void {
  io.out('polybus emulators (loopback only):');
  for (const [name, url] of Object.entries(running.endpoints)) io.out(`  ${name.padEnd(12)} ${url}`);
  io.out('\n# point polybus at them:');
  for (const [k, v] of Object.entries(running.env)) io.out(`export ${k}=${shellQuote(v)}`);
  io.out('\n# per-target credentials (examples/fleet.yaml):');
  for (const n of running.notes) io.out(`# ${n}`);
  for (const [k, v] of Object.entries(running.targetEnv)) io.out(`export ${k}=${shellQuote(v)}`);
  if (serving) io.out('\n(Ctrl-C to stop; in a script: eval "$(polybus emulate --background)")');
}

/**
 * Starts a detached `polybus emulate` that outlives this process, waits until its emulators
 * listen, writes the pid file and prints the `export` lines (JSON with --json).
 */
async function startBackground(io: Io, pidFile: string, json: boolean): Promise<void> {
  const bin = fileURLToPath(new URL('../bin.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'emulate', CHILD_FLAG], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const started = await new Promise<Started>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Started));
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(failure(`the background emulators exited (${code}) before starting`)),
    );
  });
  child.removeAllListeners('exit');
  child.unref();
  const pid = String(child.pid);
  writeFileSync(pidFile, `${pid}\n`);
  const env = { ...started.env, ...started.targetEnv, POLYBUS_EMULATE_PID: pid };
  if (json) return io.out(JSON.stringify({ ...started, pid: child.pid, pidFile }, null, 2));
  io.out(`# polybus emulators in the background (pid ${pid}); stop them with: polybus emulate --stop`);
  for (const [k, v] of Object.entries(env)) io.out(`export ${k}=${shellQuote(v)}`);
}

/** True when `pid` is a running `polybus emulate` (as far as the system lets us tell). */
function isEmulator(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // On Linux, make sure a recycled pid is not someone else's process.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(CHILD_FLAG);
  } catch {
    return true;
  }
}

/** Stops the background emulators and removes the pid file; an error when there are none. */
async function stopBackground(io: Io, pidFile: string | undefined): Promise<void> {
  const file = pidFile ?? defaultPidFile();
  let text = pidFile === undefined ? (process.env.POLYBUS_EMULATE_PID ?? '') : '';
  if (!text)
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw failure(`no background emulators: no POLYBUS_EMULATE_PID and no pid file ${file}`);
    }
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid < 1 || !isEmulator(pid)) {
    rmSync(file, { force: true });
    throw failure(`no background emulators running (pid ${text.trim() || '?'} is gone)`);
  }
  process.kill(pid, 'SIGTERM');
  // Wait until it has closed its servers and exited (bounded: then it is killed).
  for (let i = 0; i < 100 && isEmulator(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (isEmulator(pid)) process.kill(pid, 'SIGKILL');
  if (readFileSafe(file).trim() === String(pid)) rmSync(file, { force: true });
  io.out(`stopped the polybus emulators (pid ${pid})`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
