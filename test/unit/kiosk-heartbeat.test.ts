import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerKioskHeartbeat } from '../../electron/host/kiosk-heartbeat';
import { decodeKioskHeartbeat } from '../../sync/protocol/kiosk-heartbeat';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function hostWithHeartbeat() {
  const dataDir = await mkdtemp(join(tmpdir(), 'yx-heartbeat-'));
  folders.push(dataDir);
  let clock = new Date('2026-11-29T08:00:00Z');
  const app = Fastify();
  const heartbeat = await registerKioskHeartbeat(app, { appVersion: '0.1.0', dataDir, courseCacheBytes: () => 3100, now: () => clock });
  let answer = 500;
  app.get('/sync/courses/pull', async (_request, reply) => reply.code(answer).send({}));
  return { app, heartbeat, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)), answer: (code: number) => (answer = code) };
}

describe('kiosk host heartbeat', () => {
  it('reports version, clock, uptime, disk and course cache size in one valid header', async () => {
    const { app, heartbeat, advance } = await hostWithHeartbeat();
    advance(90_000);
    const sent = decodeKioskHeartbeat(heartbeat.headers()['x-yuexue-heartbeat']);
    expect(sent).toMatchObject({ v: 1, appVersion: '0.1.0', deviceTime: '2026-11-29T08:01:30.000Z', uptimeSeconds: 90, courseCacheBytes: 3100 });
    expect(sent!.diskFreeBytes).toBeGreaterThan(0);
    expect(sent!.diskTotalBytes).toBeGreaterThanOrEqual(sent!.diskFreeBytes!);
    await app.close();
  });

  it('carries what the renderer reports, and refuses a malformed report', async () => {
    const { app, heartbeat } = await hostWithHeartbeat();
    const status = { recordsWaiting: 4, recordsSetAside: 1, oldestWaitingAt: '2026-11-28T08:00:00.000Z', cameraSeen: true, scannerSeen: true };
    expect((await app.inject({ method: 'POST', url: '/kiosk/status', payload: status })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/kiosk/status', payload: { ...status, recordsWaiting: 'many' } })).statusCode).toBe(400);
    expect(decodeKioskHeartbeat(heartbeat.headers()['x-yuexue-heartbeat'])).toMatchObject(status);
    await app.close();
  });

  it('remembers the last failed sync answer until a sync succeeds', async () => {
    const { app, heartbeat, answer } = await hostWithHeartbeat();
    await app.inject({ method: 'GET', url: '/sync/courses/pull' });
    expect(heartbeat.heartbeat().lastSyncError).toBe('500');
    answer(200);
    await app.inject({ method: 'GET', url: '/sync/courses/pull' });
    expect(heartbeat.heartbeat().lastSyncError).toBeNull();
    await app.close();
  });
});
