import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { CourseDownloads } from '../../electron/host/course-cache/course-downloads';
import { startPackageServer, testPackage, type PackageServer } from '../support/package-server';

// A full disk cannot be made on demand in a test, so writes to download parts fail with the
// error the kernel gives (ENOSPC), and the file system reports no free space, while `disk.full`
// is set.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (path, ...rest) => {
    const handle = await fs.open(path, ...rest);
    if (!disk.full || !String(path).endsWith('.part')) return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write') {
          return async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  const statfs = (async (path: string) => {
    const stats = await fs.statfs(path);
    return disk.full ? { ...stats, bavail: 0 } : stats;
  }) as typeof fs.statfs;
  return { ...fs, open, statfs, default: { ...fs, open, statfs } };
});

let dir: string;
let server: PackageServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yx-full-'));
  disk.full = false;
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('course cache on a full disk', () => {
  it('stops with a clear message, does not retry, keeps every complete course, and resumes once the disk has room', async () => {
    const kept = randomBytes(3000);
    const next = randomBytes(3000);
    server = await startPackageServer({ 'kept.bin': kept, 'next.bin': next });
    const cache = await CourseCache.open({ dir, budgetBytes: 10_000, retries: 3, minRetryMs: 1 });
    await cache.ensureCourse(testPackage('kept', kept), server.url);

    disk.full = true;
    const downloads = new CourseDownloads(cache, server.url, 20);
    await downloads.start(testPackage('next', next));
    expect(downloads.statusOf('next')).toMatchObject({ state: 'failed', code: 'disk-full' });
    expect(downloads.statusOf('next').message).toMatch(/disk is full/);
    expect(server.ranges).toHaveLength(2); // one for "kept", one attempt for "next": no retries
    // A full disk never costs a cached course: only the storage budget evicts.
    expect(cache.course('kept')?.complete).toBe(true);
    expect(await readFile(join(dir, 'kept', 'kept.bin'))).toEqual(kept);

    // While the disk is still full, a new start is refused at once rather than filling it again.
    await downloads.start(testPackage('next', next));
    expect(downloads.statusOf('next')).toMatchObject({ state: 'failed', code: 'disk-full' });
    expect(server.ranges).toHaveLength(2);

    // Space is freed: the stopped download resumes on its own, no restart and no tap needed.
    disk.full = false;
    await expect.poll(() => downloads.statusOf('next').state, { timeout: 5000 }).toBe('ready');
    expect(await readFile(join(dir, 'next', 'next.bin'))).toEqual(next);
    expect(cache.course('kept')?.complete).toBe(true);
    downloads.close();
  });
});
