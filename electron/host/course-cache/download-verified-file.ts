import { open, rm, stat } from 'node:fs/promises';
import pRetry, { AbortError } from 'p-retry';
import type { LessonFile } from '../../../sync/protocol/course-package';
import { moveIntoPlace } from '../atomic-write';
import { CourseCacheError, isDiskFull } from './cache-errors';
import { sha256File } from './sha256-file';

export interface DownloadOptions {
  url: string;
  /** The final path; the download grows in `<dest>.part` and is renamed only once verified. */
  dest: string;
  expected: LessonFile;
  /** Called with bytes on disk so far (including a resumed part). */
  onBytes?: (bytesOnDisk: number) => void;
  fetch?: typeof fetch;
  /** Attempts after the first; a cut connection resumes where it stopped. */
  retries?: number;
  minRetryMs?: number;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function fetchPart(options: DownloadOptions, part: string): Promise<void> {
  const { bytes } = options.expected;
  let start = await sizeOf(part);
  if (start > bytes) {
    await rm(part, { force: true });
    start = 0;
  }
  if (start === bytes) return;
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(options.url, start > 0 ? { headers: { range: `bytes=${start}-` } } : {});
  if (response.status === 404 || response.status === 410) {
    throw new AbortError(new CourseCacheError('http', `${options.url} is not on the server (HTTP ${response.status}).`));
  }
  if (!response.ok || !response.body) throw new CourseCacheError('http', `${options.url}: HTTP ${response.status}`);
  // A server that ignores Range sends the whole file again: start the part over.
  const append = start > 0 && response.status === 206;
  let onDisk = append ? start : 0;
  // Each chunk is awaited onto disk before the next is read, so when the link drops every byte
  // received so far is in the part and the retry asks only for the rest (a stream pipeline would
  // throw away its buffered writes on the error).
  const handle = await open(part, append ? 'a' : 'w');
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      onDisk += chunk.length;
      if (onDisk > bytes) throw new CourseCacheError('size-mismatch', `${options.url} is longer than the ${bytes} bytes its manifest says.`);
      await handle.write(chunk);
      options.onBytes?.(onDisk);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Downloads one package file, resuming a cut transfer with an HTTP Range request into a `.part`
 * file, and only renames it into place once its SHA-256 matches the manifest. A file that does
 * not match is deleted and fetched again from the start; a full disk stops at once (retrying
 * cannot help) and leaves the part for a later resume.
 */
export async function downloadVerifiedFile(options: DownloadOptions): Promise<void> {
  const part = `${options.dest}.part`;
  const { bytes, sha256 } = options.expected;
  await pRetry(
    async () => {
      try {
        await fetchPart(options, part);
        if ((await sizeOf(part)) !== bytes) {
          throw new CourseCacheError('size-mismatch', `${options.url} ended early (${await sizeOf(part)} of ${bytes} bytes).`);
        }
        const actual = await sha256File(part);
        if (actual !== sha256) {
          await rm(part, { force: true });
          throw new CourseCacheError(
            'checksum-mismatch',
            `${options.url} does not match its manifest (SHA-256 ${actual.slice(0, 12)}…, expected ${sha256.slice(0, 12)}…); it was discarded.`,
          );
        }
        await moveIntoPlace(part, options.dest);
      } catch (error) {
        if (isDiskFull(error)) {
          throw new AbortError(new CourseCacheError('disk-full', `The disk is full while saving ${options.url}; downloads stopped.`));
        }
        throw error;
      }
    },
    { retries: options.retries ?? 4, minTimeout: options.minRetryMs ?? 500, factor: 2 },
  );
}
