import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { CourseDownloads } from '../../electron/host/course-cache/course-downloads';
import { startPackageServer, testPackage, type PackageServer } from '../support/package-server';

// A full disk cannot be made on demand in a test, so writes to download parts fail with the
// error the kernel gives (ENOSPC) while `disk.full` is set.
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
  return { ...fs, open, default: { ...fs, open } };
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
  it('stops with a clear message, does not retry, and keeps every complete course', async () => {
    const kept = randomBytes(3000);
    const next = randomBytes(3000);
    server = await startPackageServer({ 'kept.bin': kept, 'next.bin': next });
    const cache = await CourseCache.open({ dir, budgetBytes: 10_000, retries: 3, minRetryMs: 1 });
    await cache.ensureCourse(testPackage('kept', kept), server.url);

    disk.full = true;
    const downloads = new CourseDownloads(cache, server.url);
    await downloads.start(testPackage('next', next));
    expect(downloads.statusOf('next')).toMatchObject({ state: 'failed', code: 'disk-full' });
    expect(downloads.statusOf('next').message).toMatch(/disk is full/);
    expect(server.ranges).toHaveLength(2); // one for "kept", one attempt for "next": no retries
    // A full disk never costs a cached course: only the storage budget evicts.
    expect(cache.course('kept')?.complete).toBe(true);
    expect(await readFile(join(dir, 'kept', 'kept.bin'))).toEqual(kept);

    // Later downloads are refused at once rather than filling the disk again.
    disk.full = false;
    await downloads.start(testPackage('next', next));
    expect(downloads.statusOf('next')).toMatchObject({ state: 'failed', code: 'disk-full' });
    expect(server.ranges).toHaveLength(2);
  });
});
