import type pg from 'pg';
import type { KioskHealthStatus } from '../../protocol/console-api';
import type { KioskHeartbeat } from '../../protocol/kiosk-heartbeat';

const DAY_MS = 24 * 60 * 60_000;
/** A kiosk syncs every few minutes when online; two days without a word is worth a visit. */
export const NOT_SEEN_AFTER_MS = 2 * DAY_MS;
/** Cards expire and check-in windows close by the minute: more than this off is wrong. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;
/** Below either, the next course download or a week of records may not fit. */
export const DISK_LOW_BYTES = 500 * 1024 * 1024;
export const DISK_LOW_FRACTION = 0.05;
/** A record waiting longer than this while the kiosk is online is stuck, not queued. */
export const STUCK_AFTER_MS = DAY_MS;

export interface KioskHealthInput {
  revoked: boolean;
  /** The later of its last push and its last heartbeat, by the platform's clock. */
  lastSeenAt: Date | null;
  heartbeat: KioskHeartbeat | null;
  /** When the platform received that heartbeat. */
  heartbeatReceivedAt: Date | null;
}

export interface KioskHealthFinding {
  status: KioskHealthStatus;
  days?: number;
}

/**
 * A kiosk's health in words, worst first: what an operator should go and fix. One function, so
 * the console, the admin API and its tests all judge alike.
 */
export function kioskHealth(kiosk: KioskHealthInput, now: Date): KioskHealthFinding[] {
  if (kiosk.revoked) return [{ status: 'revoked' }];
  if (!kiosk.lastSeenAt) return [{ status: 'never-seen' }];
  const findings: KioskHealthFinding[] = [];
  const silentMs = now.getTime() - kiosk.lastSeenAt.getTime();
  if (silentMs >= NOT_SEEN_AFTER_MS) findings.push({ status: 'not-seen', days: Math.floor(silentMs / DAY_MS) });
  const beat = kiosk.heartbeat;
  if (beat && kiosk.heartbeatReceivedAt) {
    if (Math.abs(Date.parse(beat.deviceTime) - kiosk.heartbeatReceivedAt.getTime()) > CLOCK_TOLERANCE_MS) findings.push({ status: 'clock-wrong' });
    if (
      beat.diskFreeBytes !== null &&
      (beat.diskFreeBytes < DISK_LOW_BYTES || (beat.diskTotalBytes ? beat.diskFreeBytes / beat.diskTotalBytes < DISK_LOW_FRACTION : false))
    ) {
      findings.push({ status: 'disk-nearly-full' });
    }
    // Waiting is judged by the kiosk's own clock against the time it sent the heartbeat, so a
    // wrong clock does not make every record look stuck.
    const waitingMs = beat.oldestWaitingAt ? Date.parse(beat.deviceTime) - Date.parse(beat.oldestWaitingAt) : 0;
    if (beat.recordsSetAside > 0 || (beat.recordsWaiting > 0 && waitingMs > STUCK_AFTER_MS)) findings.push({ status: 'records-stuck' });
  }
  return findings.length > 0 ? findings : [{ status: 'healthy' }];
}

export interface KioskWithHealth {
  id: string;
  siteId: string;
  name: string;
  lastSeenAt: Date | null;
  health: KioskHealthFinding[];
  heartbeat: KioskHeartbeat | null;
  heartbeatReceivedAt: Date | null;
}

/** The kiosks of the given sites (all sites when omitted), by site and name, each with its health. */
export async function kiosksWithHealth(pool: pg.Pool, siteIds: string[] | null, now = new Date()): Promise<KioskWithHealth[]> {
  const { rows } = await pool.query<{
    id: string;
    site_id: string;
    name: string;
    status: string;
    last_seen_at: Date | null;
    heartbeat: KioskHeartbeat | null;
    received_at: Date | null;
  }>(
    `select k.id, k.site_id, k.name, k.status, greatest(k.last_seen_at, h.received_at) as last_seen_at, h.heartbeat, h.received_at
       from kiosks k left join kiosk_heartbeats h on h.kiosk_id = k.id
      where $1::text[] is null or k.site_id = any($1::text[])
      order by k.site_id, k.name, k.id`,
    [siteIds],
  );
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    name: r.name,
    lastSeenAt: r.last_seen_at,
    heartbeat: r.heartbeat,
    heartbeatReceivedAt: r.received_at,
    health: kioskHealth({ revoked: r.status !== 'active', lastSeenAt: r.last_seen_at, heartbeat: r.heartbeat, heartbeatReceivedAt: r.received_at }, now),
  }));
}
