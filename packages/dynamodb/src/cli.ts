import { runCli } from './cli-program.js';

/** The `tasks-dynamodb` command: `create-table` and `check-table`; `--help` lists the flags. */
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
