#!/usr/bin/env node
import { CommanderError } from 'commander';
import { program } from './cli/program.js';
import { EXIT } from './cli/io.js';

/** The `lectern` command (package.json "bin"): parse the command line, run, exit with its code. */
async function main(): Promise<void> {
  let pending: Promise<number> | undefined;
  try {
    await program((p) => (pending = p)).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    throw err;
  }
  // Exit explicitly (a library timer left behind must not keep a finished command alive), but
  // only once stdout has drained: a pipe is written asynchronously and a large export would be cut.
  const code = pending ? await pending : EXIT.ok;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main().catch((err: unknown) => {
  process.stderr.write(`lectern: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(EXIT.failure);
});
