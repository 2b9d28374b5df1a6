import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent as HttpsAgent } from 'node:https';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { platformAgentOptions, platformFetch } from '../../electron/host/platform-tls';
import { startPackageServer, testPackage, type PackageServer } from '../support/package-server';

let dir: string;
let server: PackageServer | undefined;
let clock = 0;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yx-cache-'));
  clock = 0;
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function openCache(budgetBytes = 10_000_000) {
  return CourseCache.open({ dir, budgetBytes, retries: 3, minRetryMs: 1, now: () => ++clock });
}

describe('course cache', () => {
  it('resumes a cut download with a Range request and verifies it before use', async () => {
    const body = randomBytes(300_000);
    server = await startPackageServer({ 'cut.bin': body });
    server.cutNext('cut.bin', 120_000);
    const cache = await openCache();
    const progress: number[] = [];
    await cache.ensureCourse(testPackage('cut', body), server.url, (p) => progress.push(p.receivedBytes));
    expect(await readFile(join(dir, 'cut', 'cut.bin'))).toEqual(body);
    expect(server.ranges[0]).toBeNull();
    // The second request asks only for what the first one did not deliver.
    expect(server.ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(server.ranges[1]!)![0])).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(body.length);
    expect(cache.course('cut')?.complete).toBe(true);
    expect(cache.isServable('cut/cut.bin')).toBe(true);
    expect((await readdir(join(dir, 'cut'))).sort()).toEqual(['.manifest.json', 'cut.bin']);
  });

  it("resumes a cut download the same way through the host's platform connection", async () => {
    const body = randomBytes(300_000);
    server = await startPackageServer({ 'cut.bin': body });
    server.cutNext('cut.bin', 120_000);
    const cache = await CourseCache.open({ dir, budgetBytes: 10_000_000, retries: 3, minRetryMs: 1, fetch: platformFetch(new HttpsAgent(platformAgentOptions())) });
    await cache.ensureCourse(testPackage('cut', body), server.url);
    expect(await readFile(join(dir, 'cut', 'cut.bin'))).toEqual(body);
    expect(server.ranges).toHaveLength(2);
    expect(Number(/\d+/.exec(server.ranges[1] ?? '')?.[0])).toBeGreaterThan(0);
  });

  it('refuses a file whose checksum does not match, leaving nothing playable', async () => {
    const body = randomBytes(5000);
    server = await startPackageServer({ 'bad.bin': randomBytes(5000) });
    const cache = await openCache();
    await expect(cache.ensureCourse(testPackage('bad', body), server.url)).rejects.toThrow(/does not match its manifest/);
    // Only the manifest it keeps to rebuild its index from: no file that failed its check.
    expect(await readdir(join(dir, 'bad'))).toEqual(['.manifest.json']);
    expect(cache.course('bad')?.complete).toBe(false);
    expect(cache.isServable('bad/bad.bin')).toBe(false);
  });

  it('re-fetches a cached file that was corrupted on disk', async () => {
    const body = randomBytes(4000);
    server = await startPackageServer({ 'fix.bin': body });
    const cache = await openCache();
    const manifest = testPackage('fix', body);
    await cache.ensureCourse(manifest, server.url);
    await writeFile(join(dir, 'fix', 'fix.bin'), Buffer.from('corrupt'));
    await cache.ensureCourse(manifest, server.url);
    expect(await readFile(join(dir, 'fix', 'fix.bin'))).toEqual(body);
    expect(server.ranges).toHaveLength(2);
  });

  it('keeps to its budget by evicting the least recently used unpinned course', async () => {
    const a = randomBytes(4000);
    const b = randomBytes(4000);
    const c = randomBytes(4000);
    server = await startPackageServer({ 'a.bin': a, 'b.bin': b, 'c.bin': c });
    const cache = await openCache(9000);
    await cache.ensureCourse(testPackage('a', a), server.url);
    await cache.ensureCourse(testPackage('b', b), server.url);
    await cache.pin('a');
    await cache.ensureCourse(testPackage('c', c), server.url);
    expect(cache.course('a')).toBeDefined();
    expect(cache.course('b')).toBeUndefined();
    expect(cache.course('c')?.complete).toBe(true);
    expect(cache.usedBytes()).toBe(8000);
    await expect(readdir(join(dir, 'b'))).rejects.toThrow();
    // With everything else pinned there is no room, and nothing is deleted to try.
    await cache.pin('c');
    await expect(cache.ensureCourse(testPackage('d', randomBytes(4000)), server.url)).rejects.toThrow(/budget/);
    expect(cache.course('a')?.complete && cache.course('c')?.complete).toBe(true);
  });

  it('replaces a course with its new version and drops files the new version no longer lists', async () => {
    const v1 = randomBytes(2000);
    const v2 = randomBytes(2500);
    server = await startPackageServer({ 'old.bin': v1, 'new.bin': v2 });
    const cache = await openCache();
    await cache.ensureCourse(testPackage('upd', v1, { lessons: [{ ...testPackage('upd', v1).lessons[0]!, file: 'old.bin' }] }), server.url);
    const next = testPackage('upd', v2, { version: 2, lessons: [{ ...testPackage('upd', v2).lessons[0]!, file: 'new.bin' }] });
    await cache.ensureCourse(next, server.url);
    expect((await readdir(join(dir, 'upd'))).sort()).toEqual(['.manifest.json', 'new.bin']);
    expect(cache.course('upd')).toMatchObject({ complete: true, bytes: 2500 });
    expect(cache.isServable('upd/old.bin')).toBe(false);
  });

  it('rebuilds a truncated or lost index from the disk, re-hashing every file', async () => {
    const good = randomBytes(3000);
    const spoilt = randomBytes(3000);
    server = await startPackageServer({ 'good.bin': good, 'spoilt.bin': spoilt });
    const first = await openCache();
    await first.ensureCourse(testPackage('good', good), server.url);
    await first.ensureCourse(testPackage('spoilt', spoilt), server.url);
    const index = await readFile(join(dir, 'cache-index.json'), 'utf8');
    // A power cut on an older kiosk, or a disk error: the index ends halfway.
    await writeFile(join(dir, 'cache-index.json'), index.slice(0, index.length / 2));
    // And one course's file no longer matches its manifest.
    await writeFile(join(dir, 'spoilt', 'spoilt.bin'), Buffer.from('damaged'));
    // A folder the cache did not write has no manifest: it is left out, not guessed at.
    await mkdir(join(dir, 'stray'));

    const second = await openCache();
    expect(second.courseIds().sort()).toEqual(['good', 'spoilt']);
    expect(second.course('good')).toMatchObject({ complete: true, bytes: good.length });
    expect(second.isServable('good/good.bin')).toBe(true);
    expect(second.course('spoilt')?.complete).toBe(false);
    expect(second.isServable('spoilt/spoilt.bin')).toBe(false);
    // The rebuilt index is on disk whole; the spoilt course is fetched again on the next download.
    expect(JSON.parse(await readFile(join(dir, 'cache-index.json'), 'utf8')).courses.good.complete).toBe(true);
    await second.ensureCourse(testPackage('spoilt', spoilt), server.url);
    expect(await readFile(join(dir, 'spoilt', 'spoilt.bin'))).toEqual(spoilt);

    await rm(join(dir, 'cache-index.json'));
    expect((await openCache()).course('good')?.complete).toBe(true);
  });

  it('remembers its courses across restarts', async () => {
    const body = randomBytes(1000);
    server = await startPackageServer({ 'keep.bin': body });
    const first = await openCache();
    await first.ensureCourse(testPackage('keep', body), server.url);
    await first.pin('keep');
    const second = await openCache();
    expect(second.course('keep')).toMatchObject({ complete: true, pinned: true });
  });
});
