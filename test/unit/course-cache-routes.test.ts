import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { courseCacheRoutes } from '../../electron/host/course-cache/course-cache-routes';
import { requireStaffToken, StaffTokens } from '../../electron/host/staff-pin';
import { STAFF_TOKEN_HEADER } from '../../sync/protocol/kiosk-host-api';
import { startPackageServer, testPackage, type PackageServer } from '../support/package-server';

interface Listing {
  usedBytes: number;
  budgetBytes: number;
  courses: { id: string; state: string; bytes: number; pinned: boolean; lastUsedAt: string | null; receivedBytes: number; totalBytes: number }[];
}

let dir: string;
let server: PackageServer;
let app: FastifyInstance;
let url: string;
let releaseSlow: () => void;
let staffToken: string;
let catalog: { online: boolean; quickVersion: number };

const quick = randomBytes(6000);
const slow = randomBytes(9000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yx-cache-routes-'));
  server = await startPackageServer({ 'quick.bin': quick, 'slow.bin': slow });
  const gate = new Promise<void>((resolve) => (releaseSlow = resolve));
  // Holding the slow course's transfer until the test releases it makes "still downloading" certain, not a race.
  const gatedFetch: typeof fetch = async (input, init) => {
    if (String(input).includes('/slow/')) await gate;
    return fetch(input, init);
  };
  const cache = await CourseCache.open({ dir, budgetBytes: 1_000_000, minRetryMs: 1, fetch: gatedFetch });
  app = Fastify({ logger: false });
  const tokens = new StaffTokens();
  staffToken = tokens.issue();
  // The platform's catalog lists "quick" alone, at `catalog.quickVersion`, while it is reachable.
  catalog = { online: true, quickVersion: 1 };
  const catalogManifest = async (id: string) => {
    if (!catalog.online) throw new Error('connect ECONNREFUSED');
    return id === 'quick' ? testPackage('quick', quick, { version: catalog.quickVersion }) : null;
  };
  await app.register(courseCacheRoutes(cache, server.url, { staffOnly: requireStaffToken(tokens), catalogManifest }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  releaseSlow();
  await app.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, token: string | null = staffToken) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === null ? {} : { [STAFF_TOKEN_HEADER]: token }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
}

async function listing(): Promise<Listing> {
  return (await call('GET', '/kiosk/courses')).body;
}

async function download(id: string, body: Buffer) {
  return call('POST', `/kiosk/courses/${id}/download`, testPackage(id, body));
}

describe('course cache routes for staff', () => {
  it('lists cached courses with state, bytes, pin and last use, and storage against the budget', async () => {
    expect(await listing()).toEqual({ usedBytes: 0, budgetBytes: 1_000_000, courses: [] });
    expect((await download('quick', quick)).status).toBe(202);
    await expect.poll(async () => (await listing()).courses[0]?.state, { timeout: 10_000 }).toBe('ready');
    const list = await listing();
    expect(list.usedBytes).toBe(quick.length);
    expect(list.courses).toEqual([
      { id: 'quick', state: 'ready', bytes: quick.length, pinned: false, lastUsedAt: expect.any(String), receivedBytes: quick.length, totalBytes: quick.length },
    ]);
    expect(Number.isNaN(Date.parse(list.courses[0]!.lastUsedAt!))).toBe(false);
  });

  it('pins and unpins a cached course, and says when a course is not cached', async () => {
    await download('quick', quick);
    await expect.poll(async () => (await listing()).courses[0]?.state, { timeout: 10_000 }).toBe('ready');
    expect(await call('PUT', '/kiosk/courses/quick/pin', { pinned: true })).toEqual({ status: 200, body: { id: 'quick', pinned: true } });
    expect((await listing()).courses[0]?.pinned).toBe(true);
    expect((await call('PUT', '/kiosk/courses/quick/pin', { pinned: false })).status).toBe(200);
    expect((await listing()).courses[0]?.pinned).toBe(false);
    const missing = await call('PUT', '/kiosk/courses/nothing/pin', { pinned: true });
    expect(missing.status).toBe(404);
    expect((missing.body as { message: string }).message).toMatch(/not on this kiosk/);
    expect((await call('PUT', '/kiosk/courses/quick/pin', { pinned: 'yes' })).status).toBe(400);
  });

  it('removes a course and its files, freeing its storage', async () => {
    await download('quick', quick);
    await expect.poll(async () => (await listing()).courses[0]?.state, { timeout: 10_000 }).toBe('ready');
    expect((await call('DELETE', '/kiosk/courses/quick')).status).toBe(204);
    expect(await listing()).toMatchObject({ usedBytes: 0, courses: [] });
    await expect(stat(join(dir, 'quick'))).rejects.toThrow(/ENOENT/);
    expect((await call('GET', '/kiosk/courses/quick')).body).toMatchObject({ state: 'absent' });
    expect((await call('DELETE', '/kiosk/courses/quick')).status).toBe(404);
  });

  it('refuses to remove a course while it downloads, with a message staff can act on', async () => {
    expect((await download('slow', slow)).status).toBe(202);
    expect((await listing()).courses).toMatchObject([{ id: 'slow', state: 'downloading' }]);
    const refused = await call('DELETE', '/kiosk/courses/slow');
    expect(refused.status).toBe(409);
    expect((refused.body as { message: string }).message).toMatch(/still downloading; wait until it finishes/);
    releaseSlow();
    await expect.poll(async () => (await listing()).courses[0]?.state, { timeout: 10_000 }).toBe('ready');
    expect((await call('DELETE', '/kiosk/courses/slow')).status).toBe(204);
  });
});

describe('course cache routes without a staff token', () => {
  it('refuses to list, download, pin or remove, and changes nothing', async () => {
    await download('quick', quick);
    await expect.poll(async () => (await listing()).courses[0]?.state, { timeout: 10_000 }).toBe('ready');
    for (const token of [null, 'not-the-token']) {
      expect((await call('GET', '/kiosk/courses', undefined, token)).status).toBe(401);
      expect((await call('POST', '/kiosk/courses/slow/download', testPackage('slow', slow), token)).status).toBe(401);
      expect((await call('PUT', '/kiosk/courses/quick/pin', { pinned: true }, token)).status).toBe(401);
      const removed = await call('DELETE', '/kiosk/courses/quick', undefined, token);
      expect(removed.status).toBe(401);
      expect((removed.body as { message: string }).message).toMatch(/staff PIN/);
    }
    expect((await listing()).courses).toMatchObject([{ id: 'quick', state: 'ready', pinned: false }]);
    expect(await call('GET', '/kiosk/courses/slow', undefined, null)).toMatchObject({ body: { state: 'absent' } });
  });

  it("lets a learner open a course of the platform's catalog, and no other", async () => {
    const opened = await call('POST', '/kiosk/courses/quick/open', undefined, null);
    expect(opened.status).toBe(202);
    await expect.poll(async () => ((await call('GET', '/kiosk/courses/quick', undefined, null)).body as { state: string }).state, { timeout: 10_000 }).toBe('ready');
    expect(await call('POST', '/kiosk/courses/quick/open', undefined, null)).toMatchObject({ status: 200, body: { state: 'ready' } });
    // Offline, the cached course still opens; a course not cached cannot.
    catalog.online = false;
    expect(await call('POST', '/kiosk/courses/quick/open', undefined, null)).toMatchObject({ status: 200, body: { state: 'ready' } });
    expect(await call('POST', '/kiosk/courses/slow/open', undefined, null)).toMatchObject({ status: 503, body: { state: 'failed', message: expect.stringMatching(/catalog cannot be read/) } });
    // Back online with a new version in the catalog: opening the course fetches it.
    catalog = { online: true, quickVersion: 2 };
    expect((await call('POST', '/kiosk/courses/quick/open', undefined, null)).status).toBe(202);
    await expect.poll(async () => ((await call('GET', '/kiosk/courses/quick', undefined, null)).body as { state: string }).state, { timeout: 10_000 }).toBe('ready');
    expect((await listing()).courses).toMatchObject([{ id: 'quick', state: 'ready' }]);
    const unknown = await call('POST', '/kiosk/courses/slow/open', undefined, null);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'not-in-catalog' } });
    expect((await call('GET', '/kiosk/courses/slow', undefined, null)).body).toMatchObject({ state: 'absent' });
    await expect(stat(join(dir, 'slow'))).rejects.toThrow(/ENOENT/);
  });
});
