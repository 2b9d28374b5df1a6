import { describe, expect, it } from 'vitest';
import { kioskHealth, type KioskHealthInput } from '../../sync/platform/admin/kiosk-health';
import { decodeKioskHeartbeat, encodeKioskHeartbeat, type KioskHeartbeat } from '../../sync/protocol/kiosk-heartbeat';

const now = new Date('2026-11-29T08:00:00Z');
const GB = 1024 ** 3;

function beat(overrides: Partial<KioskHeartbeat> = {}): KioskHeartbeat {
  return {
    v: 1,
    appVersion: '0.1.0',
    deviceTime: '2026-11-29T07:59:00.000Z',
    recordsWaiting: 0,
    recordsSetAside: 0,
    oldestWaitingAt: null,
    lastSyncError: null,
    diskFreeBytes: 40 * GB,
    diskTotalBytes: 100 * GB,
    courseCacheBytes: 2 * GB,
    uptimeSeconds: 3600,
    cameraSeen: true,
    scannerSeen: false,
    ...overrides,
  };
}

function seen(heartbeat: KioskHeartbeat | null, lastSeenAt = new Date('2026-11-29T07:59:00Z')): KioskHealthInput {
  return { revoked: false, lastSeenAt, heartbeat, heartbeatReceivedAt: heartbeat ? lastSeenAt : null };
}

describe('kiosk health in words', () => {
  it('calls a kiosk that synced a minute ago with nothing wrong healthy', () => {
    expect(kioskHealth(seen(beat()), now)).toEqual([{ status: 'healthy' }]);
  });

  it('says how many whole days a kiosk has not been seen, from two days on', () => {
    expect(kioskHealth(seen(beat({ deviceTime: '2026-11-27T09:00:00.000Z' }), new Date('2026-11-27T09:00:00Z')), now)).toEqual([{ status: 'healthy' }]);
    expect(kioskHealth(seen(beat({ deviceTime: '2026-11-24T07:00:00.000Z' }), new Date('2026-11-24T07:00:00Z')), now)).toEqual([
      { status: 'not-seen', days: 5 },
    ]);
    expect(kioskHealth({ revoked: false, lastSeenAt: null, heartbeat: null, heartbeatReceivedAt: null }, now)).toEqual([{ status: 'never-seen' }]);
  });

  it('finds a clock more than five minutes off the platform, either way', () => {
    expect(kioskHealth(seen(beat({ deviceTime: '2026-11-29T07:55:00.000Z' })), now)).toEqual([{ status: 'healthy' }]);
    expect(kioskHealth(seen(beat({ deviceTime: '2026-11-29T07:53:59.000Z' })), now)).toEqual([{ status: 'clock-wrong' }]);
    expect(kioskHealth(seen(beat({ deviceTime: '2027-01-01T00:00:00.000Z' })), now)).toEqual([{ status: 'clock-wrong' }]);
  });

  it('finds a disk nearly full by bytes left or by share left', () => {
    expect(kioskHealth(seen(beat({ diskFreeBytes: 400 * 1024 ** 2 })), now)).toEqual([{ status: 'disk-nearly-full' }]);
    expect(kioskHealth(seen(beat({ diskFreeBytes: 4 * GB, diskTotalBytes: 100 * GB })), now)).toEqual([{ status: 'disk-nearly-full' }]);
    expect(kioskHealth(seen(beat({ diskFreeBytes: null, diskTotalBytes: null })), now)).toEqual([{ status: 'healthy' }]);
  });

  it('tells records stuck (set aside, or waiting over a day) from records merely queued', () => {
    expect(kioskHealth(seen(beat({ recordsWaiting: 30, oldestWaitingAt: '2026-11-29T06:00:00.000Z' })), now)).toEqual([{ status: 'healthy' }]);
    expect(kioskHealth(seen(beat({ recordsWaiting: 3, oldestWaitingAt: '2026-11-28T06:00:00.000Z' })), now)).toEqual([{ status: 'records-stuck' }]);
    expect(kioskHealth(seen(beat({ recordsSetAside: 1 })), now)).toEqual([{ status: 'records-stuck' }]);
  });

  it('lists every problem at once, and a revoked kiosk only as revoked', () => {
    const sick = beat({ deviceTime: '2026-11-20T00:00:00.000Z', recordsSetAside: 2, diskFreeBytes: GB / 10 });
    expect(kioskHealth(seen(sick, new Date('2026-11-25T07:00:00Z')), now).map((f) => f.status)).toEqual([
      'not-seen',
      'clock-wrong',
      'disk-nearly-full',
      'records-stuck',
    ]);
    expect(kioskHealth({ ...seen(sick), revoked: true }, now)).toEqual([{ status: 'revoked' }]);
  });
});

describe('kiosk heartbeat header', () => {
  it('round-trips a heartbeat', () => {
    expect(decodeKioskHeartbeat(encodeKioskHeartbeat(beat()))).toEqual(beat());
  });

  it('reads a missing, garbled, oversized or wrong-shaped header as no heartbeat', () => {
    expect(decodeKioskHeartbeat(undefined)).toBeNull();
    expect(decodeKioskHeartbeat('not base64 json!')).toBeNull();
    expect(decodeKioskHeartbeat('x'.repeat(5000))).toBeNull();
    expect(decodeKioskHeartbeat(Buffer.from(JSON.stringify({ ...beat(), recordsWaiting: -1 })).toString('base64url'))).toBeNull();
    expect(decodeKioskHeartbeat(Buffer.from(JSON.stringify({ ...beat(), secret: 'x' })).toString('base64url'))).toBeNull();
    expect(decodeKioskHeartbeat([encodeKioskHeartbeat(beat()), encodeKioskHeartbeat(beat())])).toBeNull();
  });
});
