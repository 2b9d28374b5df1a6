import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * While a platform runs on an embedded database, it leaves this file in the database folder:
 * where it listens and the admin token that reaches it. The admin CLI reads it to go through the
 * running platform instead of opening a second, stale copy of the database.
 */
export const RUN_FILE_NAME = 'yuexue-platform.json';

export interface PlatformRunFile {
  pid: number;
  /** A loopback URL the CLI can reach. */
  url: string;
  adminToken: string;
  startedAt: string;
}

export function runFilePath(dataDir: string): string {
  return join(dataDir, RUN_FILE_NAME);
}

export async function writeRunFile(dataDir: string, run: PlatformRunFile): Promise<void> {
  // Readable by the platform's own user only: it holds an admin token.
  await writeFile(runFilePath(dataDir), `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
}

export async function removeRunFile(dataDir: string): Promise<void> {
  await rm(runFilePath(dataDir), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The platform running on this folder, or null when none is (a file left by a crash is ignored). */
export async function readRunFile(dataDir: string): Promise<PlatformRunFile | null> {
  let run: PlatformRunFile;
  try {
    run = JSON.parse(await readFile(runFilePath(dataDir), 'utf8')) as PlatformRunFile;
  } catch {
    return null;
  }
  if (typeof run.pid !== 'number' || typeof run.url !== 'string' || typeof run.adminToken !== 'string') return null;
  return processAlive(run.pid) ? run : null;
}
