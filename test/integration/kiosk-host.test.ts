import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { startUnenrolledTestKioskHost, testSettings } from '../support/kiosk';

const UNREACHABLE = 'http://127.0.0.1:9';
let host: RunningKioskHost;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'yx-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>kiosk</title></head><body></body></html>');
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(join(rendererDir, 'assets', 'entry-0a1b2c.js'), 'export {};');
  host = await startKioskHost({
    rendererDir,
    // Nothing listens on port 9 on loopback: the platform is unreachable.
    settings: await testSettings(UNREACHABLE),
    enrolment: { kioskId: 'KIOSK-TEST', siteId: 'SITE-TEST', credential: 'KIOSK-TEST.secret' },
    journalFile: join(rendererDir, 'record-journal.jsonl'),
  });
});

afterAll(async () => {
  await host?.close();
  if (rendererDir) await rm(rendererDir, { recursive: true, force: true });
});

describe('kiosk host', () => {
  it('answers /health and gives the renderer its config without the credential', async () => {
    expect(await (await fetch(`${host.url}/health`)).json()).toMatchObject({ status: 'ok', kioskId: 'KIOSK-TEST' });
    const config = await (await fetch(`${host.url}/kiosk/config`)).json();
    expect(config).toEqual({
      enrolled: true,
      kioskId: 'KIOSK-TEST',
      siteId: 'SITE-TEST',
      syncIntervalMs: 1000,
      idleSeconds: 60,
      timeZone: 'Asia/Shanghai',
      offlineWarningDays: 14,
      lastPlatformContactAt: null,
    });
    expect(JSON.stringify(config)).not.toContain('secret');
  });

  it('serves the renderer with its config written in, never to be cached, and its hashed assets to be kept', async () => {
    for (const path of ['/', '/index.html']) {
      const response = await fetch(`${host.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const page = await response.text();
      expect(page).toContain('<title>kiosk</title>');
      const block = /<script type="application\/json" id="kiosk-config">(.*?)<\/script>/.exec(page);
      expect(JSON.parse(block![1]!)).toEqual(await (await fetch(`${host.url}/kiosk/config`)).json());
    }
    const asset = await fetch(`${host.url}/assets/entry-0a1b2c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers a sync request with a 5xx while the platform is unreachable', async () => {
    const response = await fetch(`${host.url}/sync/attendance/pull`);
    expect(response.status).toBeGreaterThanOrEqual(502);
    expect(response.status).toBeLessThanOrEqual(504);
  });

  it('locks staff mode after five wrong PINs, even for the right one', async () => {
    const unlock = (pin: string) =>
      fetch(`${host.url}/kiosk/staff/unlock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin }) });
    expect((await unlock('2468')).status).toBe(200);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await (await unlock('0000')).json());
    expect(answers[0]).toMatchObject({ unlocked: false, attemptsLeft: 4 });
    expect(answers[4].lockedForMs).toBeGreaterThan(0);
    const locked = await unlock('2468');
    expect(locked.status).toBe(403);
    expect((await locked.json()).lockedForMs).toBeGreaterThan(0);
  });
});

describe('kiosk host record journal', () => {
  const record = {
    id: '0b4f0f0e-4f5d-5b7e-8a1c-2d3e4f5a6b7c',
    classSessionId: '1d7c1f64-3f36-4bd4-9a3e-2a4b7f5f0c11',
    learnerId: 'GD1',
    siteId: 'SITE-TEST',
    kioskId: 'KIOSK-TEST',
    method: 'scanner',
    onRoster: true,
    deviceTime: '2026-11-23T06:10:00.000Z',
  };
  const post = (body: unknown) => fetch(`${host.url}/kiosk/journal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('keeps a record of this kiosk and gives it back; refuses one naming another kiosk or malformed, keeping nothing', async () => {
    const kept = await post({ kind: 'attendance', record });
    expect(kept.status).toBe(201);
    const otherKiosk = await post({ kind: 'attendance', record: { ...record, id: '0b4f0f0e-4f5d-5b7e-8a1c-2d3e4f5a6b7d', kioskId: 'KIOSK-OTHER' } });
    expect(otherKiosk.status).toBe(422);
    expect(((await otherKiosk.json()) as { message: string }).message).toMatch(/names kiosk KIOSK-OTHER/);
    expect((await post({ kind: 'attendance', record: { ...record, deviceTime: 'yesterday' } })).status).toBe(400);
    expect((await post({ kind: 'sessions', record })).status).toBe(400);
    // Lesson progress too, whole: the schema is a union, and Fastify strips unknown fields per branch.
    const progress = {
      id: '5b4f0f0e-4f5d-5b7e-8a1c-2d3e4f5a6b7c',
      learnerId: 'GD1',
      courseId: 'smartphone-basics',
      lessonId: 'l1',
      siteId: 'SITE-TEST',
      kioskId: 'KIOSK-TEST',
      positionSeconds: 42.5,
      durationSeconds: 100,
      completed: false,
      deviceTime: '2026-11-23T06:11:00.000Z',
    };
    expect((await post({ kind: 'lesson_progress', record: progress })).status).toBe(201);
    expect(await (await fetch(`${host.url}/kiosk/journal`)).json()).toEqual({ entries: [{ kind: 'attendance', record }, { kind: 'lesson_progress', record: progress }] });
    expect(((await (await fetch(`${host.url}/kiosk/enrolment`)).json()) as { waitingRecords: number }).waitingRecords).toBe(2);
  });
});

describe('kiosk host: the last contact with the platform', () => {
  it('is noted when the platform answers a relayed sync, not when it is unreachable, and survives a restart', async () => {
    // Stands in for the platform's sync routes: what matters here is that something answered.
    const platform = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"documents":[],"checkpoint":null}');
    });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    const platformUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
    const folder = await mkdtemp(join(tmpdir(), 'yx-contact-host-'));
    const start = async (url: string) =>
      startKioskHost({
        rendererDir,
        settings: { ...(await testSettings(url)), offlineWarningDays: 3 },
        enrolment: { kioskId: 'KIOSK-TEST', siteId: 'SITE-TEST', credential: 'KIOSK-TEST.secret' },
        journalFile: join(folder, 'record-journal.jsonl'),
      });
    const contactOf = async (url: string) => ((await (await fetch(`${url}/kiosk/config`)).json()) as { lastPlatformContactAt: string | null; offlineWarningDays: number });
    try {
      const online = await start(platformUrl);
      expect(await contactOf(online.url)).toMatchObject({ lastPlatformContactAt: null, offlineWarningDays: 3 });
      const before = Date.now();
      expect((await fetch(`${online.url}/sync/class_sessions/pull`)).status).toBe(200);
      await expect.poll(async () => (await contactOf(online.url)).lastPlatformContactAt).not.toBeNull();
      const noted = (await contactOf(online.url)).lastPlatformContactAt!;
      expect(Date.parse(noted)).toBeGreaterThanOrEqual(before);
      await online.close();

      // Restarted with the platform away: the contact is still known, and a failed sync leaves it.
      const offline = await start(UNREACHABLE);
      expect((await fetch(`${offline.url}/sync/class_sessions/pull`)).status).toBeGreaterThanOrEqual(500);
      expect((await contactOf(offline.url)).lastPlatformContactAt).toBe(noted);
      await offline.close();
    } finally {
      platform.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('kiosk host before enrolment', () => {
  it('serves the renderer, says it is not enrolled, refuses to sync, and retries while the platform is away', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'yx-unenrolled-'));
    const unenrolled = await startUnenrolledTestKioskHost(UNREACHABLE, folder, rendererDir);
    try {
      expect((await fetch(`${unenrolled.url}/`)).status).toBe(200);
      expect(await (await fetch(`${unenrolled.url}/kiosk/config`)).json()).toEqual({
        enrolled: false,
        kioskName: '测试终端',
        syncIntervalMs: 1000,
        idleSeconds: 60,
        timeZone: 'Asia/Shanghai',
      });
      const sync = await fetch(`${unenrolled.url}/sync/class_sessions/pull`);
      expect(sync.status).toBe(409);
      expect(await sync.json()).toMatchObject({ message: 'This kiosk is not enrolled yet.' });
      await expect
        .poll(async () => (await (await fetch(`${unenrolled.url}/kiosk/enrolment`)).json()) as { status: string; problem: string | null })
        .toMatchObject({ status: 'offline', userCode: null, problem: expect.stringMatching(/cannot be reached/) });
      const byCode = await fetch(`${unenrolled.url}/kiosk/enrolment/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'YXENROL:ABCDEFGH' }),
      });
      expect(byCode.status).toBe(503);
    } finally {
      await unenrolled.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
