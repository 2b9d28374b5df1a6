import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../sync/platform/admin/operators';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { encodeKioskHeartbeat, KIOSK_HEARTBEAT_HEADER, type KioskHeartbeat } from '../../sync/protocol/kiosk-heartbeat';
import { ConsoleClient } from '../support/console-client';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { startTestKioskHost } from '../support/kiosk';
import { KioskHostRoutes } from '../../sync/protocol/kiosk-host-api';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let manager: ConsoleClient;

function heartbeat(overrides: Partial<KioskHeartbeat> = {}): KioskHeartbeat {
  return {
    v: 1,
    appVersion: '0.1.0',
    deviceTime: new Date().toISOString(),
    recordsWaiting: 0,
    recordsSetAside: 2,
    oldestWaitingAt: null,
    lastSyncError: null,
    diskFreeBytes: 50 * 1024 ** 3,
    diskTotalBytes: 100 * 1024 ** 3,
    courseCacheBytes: 1000,
    uptimeSeconds: 60,
    cameraSeen: true,
    scannerSeen: true,
    ...overrides,
  };
}

async function pull(header: string | undefined) {
  return fetch(`${platform.url}/sync/courses/pull`, {
    headers: { authorization: `Bearer ${credential}`, ...(header === undefined ? {} : { [KIOSK_HEARTBEAT_HEADER]: header }) },
  });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  await createOperator(platform.database.pool, {
    login: 'dongshan',
    displayName: '东山站长',
    role: 'site-manager',
    password: 'correct horse battery',
    siteIds: [DEMO_SITE_ID],
  });
  manager = new ConsoleClient(platform.url);
  await manager.signIn('dongshan', 'correct horse battery');
});

afterAll(async () => {
  await platform?.close();
});

describe('kiosk health', () => {
  it('lists a kiosk that never synced as never seen', async () => {
    const kiosks = (await manager.call('GET', '/console/api/kiosks')).body as { id: string; health: { status: string }[] }[];
    expect(kiosks.find((k) => k.id === DEMO_KIOSK_ID)?.health).toEqual([{ status: 'never-seen' }]);
  });

  it('keeps the heartbeat that rides on a sync request, and judges the kiosk by it', async () => {
    expect((await pull(encodeKioskHeartbeat(heartbeat()))).status).toBe(200);
    const kiosks = (await manager.call('GET', '/console/api/kiosks')).body as { id: string; lastSeenAt: string; health: unknown; heartbeat: KioskHeartbeat }[];
    const kiosk = kiosks.find((k) => k.id === DEMO_KIOSK_ID)!;
    expect(kiosk.health).toEqual([{ status: 'records-stuck' }]);
    expect(kiosk.heartbeat).toMatchObject({ recordsSetAside: 2, scannerSeen: true });
    expect(Date.now() - Date.parse(kiosk.lastSeenAt)).toBeLessThan(60_000);
  });

  it('serves the same on the admin API', async () => {
    const answer = await httpCall(platform.url, 'GET', `/admin/kiosks?siteId=${DEMO_SITE_ID}`, undefined, TEST_ADMIN_TOKEN);
    expect(answer.status).toBe(200);
    expect((answer.body as { id: string; health: unknown }[])[0]).toMatchObject({ id: DEMO_KIOSK_ID, health: [{ status: 'records-stuck' }] });
  });

  it('syncs normally when the heartbeat is garbled, keeping the last good one', async () => {
    await platform.database.pool.query(`update kiosk_heartbeats set received_at = now() - interval '1 minute'`);
    const garbled = await pull('%%%not-a-heartbeat');
    expect(garbled.status).toBe(200);
    const { rows } = await platform.database.pool.query('select heartbeat from kiosk_heartbeats where kiosk_id = $1', [DEMO_KIOSK_ID]);
    expect(rows[0].heartbeat.recordsSetAside).toBe(2);
  });

  it('takes a newer heartbeat after thirty seconds, not on every request', async () => {
    expect((await pull(encodeKioskHeartbeat(heartbeat({ recordsSetAside: 0 })))).status).toBe(200);
    expect((await pull(encodeKioskHeartbeat(heartbeat({ recordsSetAside: 9 })))).status).toBe(200);
    const { rows } = await platform.database.pool.query('select heartbeat from kiosk_heartbeats where kiosk_id = $1', [DEMO_KIOSK_ID]);
    expect(rows[0].heartbeat.recordsSetAside).toBe(0);
  });

  it('gets the heartbeat from the real kiosk host relay, with what the page reported', async () => {
    await platform.database.pool.query('delete from kiosk_heartbeats');
    const host = await startTestKioskHost(platform.url, credential);
    try {
      const status = { recordsWaiting: 3, recordsSetAside: 1, oldestWaitingAt: '2026-11-28T02:00:00.000Z', cameraSeen: false, scannerSeen: true };
      const noted = await fetch(`${host.url}${KioskHostRoutes.status}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(status) });
      expect(noted.status).toBe(200);
      expect((await fetch(`${host.url}/sync/courses/pull`)).status).toBe(200);
      const { rows } = await platform.database.pool.query('select heartbeat from kiosk_heartbeats where kiosk_id = $1', [DEMO_KIOSK_ID]);
      expect(rows[0].heartbeat).toMatchObject({ ...status, lastSyncError: null });
      expect(rows[0].heartbeat.diskFreeBytes).toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });
});
