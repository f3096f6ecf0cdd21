/** What a group of commands is given by `main.ts`: where output goes, the runner, the exit code. */
import type { Command } from 'commander';
import type { Io } from '../render/output.js';

/** Runs a command body with the CLI's one error format and exit codes (see main.ts). */
export type CommandRunner = (fn: (json: boolean) => Promise<void>, cmd: Command) => Promise<void>;

/** The context every command of a group shares. */
export interface CommandContext {
  io: Io;
  run: CommandRunner;
  /** Records an exit code (the highest wins). */
  setExit: (code: number) => void;
}
