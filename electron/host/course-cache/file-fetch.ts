import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * `fetch` for file:// URLs, answering as the platform's /content/ does (200, 206 for a Range,
 * 404 for a missing file), so a course on a drive goes through downloadVerifiedFile exactly as
 * one from the network: same part file, same size and SHA-256 checks, same move into place.
 */
export const fileFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (url.protocol !== 'file:') throw new TypeError(`fileFetch reads file:// URLs only, not ${url.protocol}`);
  const path = fileURLToPath(url);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return new Response(null, { status: 404 });
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Response(null, { status: 404 });
    throw error;
  }
  const range = new Headers(init?.headers).get('range');
  const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0) : 0;
  if (start >= size && size > 0) return new Response(null, { status: 416 });
  const body = Readable.toWeb(createReadStream(path, { start })) as ReadableStream<Uint8Array>;
  return new Response(body, { status: start > 0 ? 206 : 200, headers: { 'content-length': String(size - start) } });
};
