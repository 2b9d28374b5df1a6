import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { builtCommand } from './built-commands';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run platform:admin -- …` as an operator runs it: sync/platform/admin/cli.ts in a process of
 * its own, with the given environment. Node runs the command bundled once a test run
 * (test/support/built-commands.ts) rather than through tsx, which spent seconds of every call (of
 * some forty a test run) starting up on a busy machine.
 */
export async function runAdminCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCommand('YX_TEST_ADMIN_CLI'), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
