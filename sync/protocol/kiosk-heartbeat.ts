import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { IsoDateTime } from './common';

/**
 * A kiosk's health, sent by the kiosk host with every sync request it relays, as one header.
 * A header rather than a route: it needs no new call, works through any proxy that passes
 * headers, and an older platform simply ignores it.
 */
export const KIOSK_HEARTBEAT_HEADER = 'x-yuexue-heartbeat';

export const KioskHeartbeat = Type.Object(
  {
    v: Type.Literal(1),
    appVersion: Type.String({ maxLength: 40 }),
    /** The kiosk's clock when it sent this; the platform compares it with its own receive time. */
    deviceTime: IsoDateTime,
    recordsWaiting: Type.Integer({ minimum: 0 }),
    recordsSetAside: Type.Integer({ minimum: 0 }),
    /** The device time of the oldest record still waiting, so the platform can tell "stuck" from "busy". */
    oldestWaitingAt: Type.Union([IsoDateTime, Type.Null()]),
    lastSyncError: Type.Union([Type.String({ maxLength: 300 }), Type.Null()]),
    diskFreeBytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    diskTotalBytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    courseCacheBytes: Type.Integer({ minimum: 0 }),
    uptimeSeconds: Type.Integer({ minimum: 0 }),
    cameraSeen: Type.Boolean(),
    scannerSeen: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type KioskHeartbeat = Static<typeof KioskHeartbeat>;

/** What the kiosk renderer knows and the host does not: its waiting records and its devices. */
export const RendererStatus = Type.Object(
  {
    recordsWaiting: Type.Integer({ minimum: 0 }),
    recordsSetAside: Type.Integer({ minimum: 0 }),
    oldestWaitingAt: Type.Union([IsoDateTime, Type.Null()]),
    cameraSeen: Type.Boolean(),
    scannerSeen: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RendererStatus = Static<typeof RendererStatus>;

const checkHeartbeat = Compile(KioskHeartbeat);
/** Large enough for any honest heartbeat; a bigger header is not read at all. */
const MAX_HEADER_LENGTH = 2048;

export function encodeKioskHeartbeat(heartbeat: KioskHeartbeat): string {
  return Buffer.from(JSON.stringify(heartbeat), 'utf8').toString('base64url');
}

/** The heartbeat in a header value, or null when it is missing, too long or not a valid heartbeat. */
export function decodeKioskHeartbeat(header: string | string[] | undefined): KioskHeartbeat | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_LENGTH) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return checkHeartbeat.Check(value) ? value : null;
  } catch {
    return null;
  }
}
