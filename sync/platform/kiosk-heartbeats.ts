import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { decodeKioskHeartbeat, KIOSK_HEARTBEAT_HEADER } from '../protocol/kiosk-heartbeat';

/**
 * preHandler for sync routes, after kiosk authentication: keeps the newest heartbeat the kiosk
 * host sent. A missing or malformed heartbeat never fails the sync it rode on; records matter
 * more than health. Written at most every 30 s per kiosk, so eight collections' pulls a cycle
 * cost one write.
 */
export function recordKioskHeartbeat(pool: pg.Pool) {
  return async function storeHeartbeat(request: FastifyRequest): Promise<void> {
    const heartbeat = decodeKioskHeartbeat(request.headers[KIOSK_HEARTBEAT_HEADER]);
    if (!heartbeat) {
      if (request.headers[KIOSK_HEARTBEAT_HEADER] !== undefined) request.log.warn({ kiosk: request.kiosk.id }, 'unreadable kiosk heartbeat ignored');
      return;
    }
    await pool.query(
      `insert into kiosk_heartbeats (kiosk_id, received_at, heartbeat) values ($1, now(), $2)
       on conflict (kiosk_id) do update set received_at = excluded.received_at, heartbeat = excluded.heartbeat
        where kiosk_heartbeats.received_at < now() - interval '30 seconds'`,
      [request.kiosk.id, JSON.stringify(heartbeat)],
    );
  };
}
