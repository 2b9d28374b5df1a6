import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run platform:admin -- …` as an operator runs it: `tsx sync/platform/admin/cli.ts` in a
 * process of its own, with the given environment. Node is started with tsx's loader directly
 * rather than through npx, which spent a second or more of every call (of some forty a test run)
 * finding the package on a busy machine.
 */
export async function runAdminCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'sync/platform/admin/cli.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
