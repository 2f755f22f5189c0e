import { runKaa } from './cli.js';
import { nodeIo } from './io.js';

/** The `kaa` binary: runs the command and sets the documented exit code. */
process.exitCode = await runKaa(process.argv.slice(2), nodeIo());
