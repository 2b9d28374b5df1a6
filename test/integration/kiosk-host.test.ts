import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { hashStaffPin } from '../../electron/host/staff-pin';
import { loadKioskConfig } from '../../electron/host/kiosk-config';

let host: RunningKioskHost;

beforeAll(async () => {
  const rendererDir = await mkdtemp(join(tmpdir(), 'yx-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  host = await startKioskHost({
    rendererDir,
    config: {
      // Nothing listens on port 9 on loopback: the platform is unreachable.
      platformUrl: 'http://127.0.0.1:9',
      kioskId: 'KIOSK-TEST',
      siteId: 'SITE-TEST',
      credential: 'KIOSK-TEST.secret',
      staffPinHash: await hashStaffPin('2468'),
      syncIntervalMs: 1000,
      idleSeconds: 60,
    },
  });
});

afterAll(async () => {
  await host?.close();
});

describe('kiosk host', () => {
  it('answers /health and gives the renderer its config without the credential', async () => {
    expect(await (await fetch(`${host.url}/health`)).json()).toMatchObject({ status: 'ok', kioskId: 'KIOSK-TEST' });
    const config = await (await fetch(`${host.url}/kiosk/config`)).json();
    expect(config).toEqual({ kioskId: 'KIOSK-TEST', siteId: 'SITE-TEST', syncIntervalMs: 1000, idleSeconds: 60 });
    expect(JSON.stringify(config)).not.toContain('secret');
  });

  it('serves the renderer', async () => {
    const response = await fetch(`${host.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>kiosk</title>');
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

describe('kiosk config', () => {
  it('names the file and the field that is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yx-config-'));
    const path = join(dir, 'kiosk.json');
    await expect(loadKioskConfig(path)).rejects.toThrow(/missing: enrol this kiosk/);
    await writeFile(path, '{ not json');
    await expect(loadKioskConfig(path)).rejects.toThrow(/not valid JSON/);
    await writeFile(path, JSON.stringify({ platformUrl: 'ftp://x', kioskId: 'K', siteId: 'S', credential: 'K.s', staffPinHash: 'scrypt$a$b$c', syncIntervalMs: 1000, idleSeconds: 60 }));
    await expect(loadKioskConfig(path)).rejects.toThrow(/platformUrl/);
  });
});
