import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The one way the kiosk host replaces a file (settings, enrolment, course cache index, verified
 * downloads): readers, and the kiosk after a power cut, find either the old content or the new,
 * never half of it.
 */

async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder to flush it; its rename is durable enough on NTFS.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Puts a finished file, written beside `path`, in its place: its bytes flushed first (so a power
 * cut cannot leave a renamed but empty file), then renamed over `path`, then the rename flushed.
 */
export async function moveIntoPlace(finished: string, path: string): Promise<void> {
  await syncFile(finished);
  await rename(finished, path);
  await syncFolder(dirname(path));
}

/**
 * Replaces the file at path with `content`: written to a temporary file beside it, flushed,
 * renamed over it, and the rename flushed too. The file gets `mode` (owner-only by default) from
 * its first byte; a failed write removes its temporary file and leaves the old file as it was.
 * Content may come in chunks (a record bundle written to a USB drive reports its progress so): a
 * chunk that fails, say because the drive was pulled out, fails the write the same way.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array | AsyncIterable<Uint8Array>, mode = 0o600): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      if (typeof content === 'string' || content instanceof Uint8Array) await handle.writeFile(content);
      // Each chunk goes on from where the last one ended (writeFile writes it whole).
      else for await (const chunk of content) await handle.writeFile(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}
