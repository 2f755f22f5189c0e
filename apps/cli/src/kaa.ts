import { runKaa } from './cli.js';
import { nodeIo } from './io.js';

// Output piped into a reader that stops early (`kaa url --reveal | head -1`): the reader has all it wanted, so kaa
// ends quietly instead of dying on the broken pipe with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** The `kaa` binary: runs the command and sets the documented exit code. */
process.exitCode = await runKaa(process.argv.slice(2), nodeIo());
