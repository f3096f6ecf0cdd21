#!/usr/bin/env node
/** The `polybus` executable: runs the CLI and sets the exit code. */
import { main } from './main.js';

// `polybus publish ... | head -2`: the reader has gone. Stop quietly, as a Unix tool that gets
// SIGPIPE does (status 128 + 13), instead of an unhandled 'error' event and a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });

process.exitCode = await main(process.argv.slice(2));
