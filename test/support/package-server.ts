import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CoursePackage } from '../../sync/protocol/course-package';

export interface PackageServer {
  url: string;
  /** Every request's Range header (or null), in order. */
  ranges: (string | null)[];
  /** The next full transfer of this file is cut after this many bytes. */
  cutNext(file: string, afterBytes: number): void;
  /** Serves these bytes for the file from now on, whatever the manifest says. */
  replace(file: string, body: Buffer): void;
  close(): Promise<void>;
}

/**
 * A minimal file server with HTTP Range support that can drop a connection mid-file, as a
 * flaky rural link does. Serves `/<course>/<file>` from memory.
 */
export async function startPackageServer(files: Record<string, Buffer>): Promise<PackageServer> {
  const ranges: (string | null)[] = [];
  const cuts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const name = decodeURIComponent((request.url ?? '').split('/').pop() ?? '');
    const body = files[name];
    ranges.push(request.headers.range ?? null);
    if (!body) return void response.writeHead(404).end();
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const slice = body.subarray(start);
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(slice.length), 'accept-ranges': 'bytes' };
    if (match) response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else response.writeHead(200, headers);
    const cut = cuts.get(name);
    if (cut !== undefined) {
      cuts.delete(name);
      // Ending the socket (not resetting it) delivers the bytes sent so far, then closes short of content-length.
      response.write(slice.subarray(0, cut), () => response.socket?.end());
      return;
    }
    response.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ranges,
    cutNext: (file, afterBytes) => cuts.set(file, afterBytes),
    replace: (file, body) => {
      files[file] = body;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** A valid one-lesson audio course whose file is `body`. */
export function testPackage(id: string, body: Buffer, overrides: Partial<CoursePackage> = {}): CoursePackage {
  const text = { 'zh-CN': id, 'zh-HK': id, en: id };
  return {
    format: 1,
    id,
    version: 1,
    title: text,
    summary: text,
    category: 'skills',
    provider: 'test',
    creditHours: 1,
    licence: 'CC0-1.0',
    lessons: [{ id: 'l1', kind: 'audio', title: text, file: `${id}.bin`, bytes: body.length, sha256: sha256(body), durationSeconds: 10 }],
    ...overrides,
  };
}
