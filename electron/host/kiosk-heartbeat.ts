import { statfs } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import {
  encodeKioskHeartbeat,
  KIOSK_HEARTBEAT_HEADER,
  RendererStatus,
  type KioskHeartbeat,
} from '../../sync/protocol/kiosk-heartbeat';
import { KioskHostRoutes } from '../../sync/protocol/kiosk-host-api';

export interface KioskHeartbeatOptions {
  appVersion: string;
  /** The kiosk's data folder: its disk is the one that fills up. */
  dataDir: string;
  /** What the course cache holds (CourseCache.usedBytes, from its index); omitted when the kiosk has none. */
  courseCacheBytes?: () => number;
  /** How often free disk is measured; each sync reads the last measurement. */
  refreshMs?: number;
  now?: () => Date;
}

const NO_RENDERER_STATUS: RendererStatus = { recordsWaiting: 0, recordsSetAside: 0, oldestWaitingAt: null, cameraSeen: false, scannerSeen: false };

/**
 * What the kiosk host knows about its kiosk's health, sent to the platform as a header on every
 * sync request it relays (sync/protocol/kiosk-heartbeat.ts). The renderer reports what only it
 * knows (records waiting, devices seen) to `POST /kiosk/status`; the host adds its own version,
 * clock, uptime, disk and cache, and the last sync error it relayed.
 */
export class KioskHeartbeatCollector {
  private renderer: RendererStatus = NO_RENDERER_STATUS;
  private lastSyncError: string | null = null;
  private disk: { free: number; total: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt: number;
  private readonly now: () => Date;

  constructor(private readonly options: KioskHeartbeatOptions) {
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now().getTime();
  }

  noteRendererStatus(status: RendererStatus): void {
    this.renderer = status;
  }

  /** A relayed sync answer: an error status or an unreachable platform is remembered until a sync succeeds. */
  noteSyncAnswer(statusCode: number, message?: string): void {
    if (statusCode < 400) this.lastSyncError = null;
    else this.lastSyncError = `${statusCode}${message ? ` ${message}` : ''}`.slice(0, 300);
  }

  async refresh(): Promise<void> {
    const fs = await statfs(this.options.dataDir).catch(() => null);
    this.disk = fs ? { free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize } : null;
  }

  heartbeat(): KioskHeartbeat {
    const now = this.now();
    return {
      v: 1,
      appVersion: this.options.appVersion.slice(0, 40),
      deviceTime: now.toISOString(),
      ...this.renderer,
      lastSyncError: this.lastSyncError,
      diskFreeBytes: this.disk ? Math.floor(this.disk.free) : null,
      diskTotalBytes: this.disk ? Math.floor(this.disk.total) : null,
      courseCacheBytes: this.options.courseCacheBytes?.() ?? 0,
      uptimeSeconds: Math.max(0, Math.floor((now.getTime() - this.startedAt) / 1000)),
    };
  }

  /** The header to add to a relayed sync request. */
  headers(): Record<string, string> {
    return { [KIOSK_HEARTBEAT_HEADER]: encodeKioskHeartbeat(this.heartbeat()) };
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * Adds the heartbeat to a kiosk host: the renderer's `POST /kiosk/status`, the record of each
 * relayed sync answer, and the measuring timer (stopped when the host closes). The relay then
 * adds `...heartbeat.headers()` to the headers it forwards.
 */
export async function registerKioskHeartbeat(app: FastifyInstance, options: KioskHeartbeatOptions): Promise<KioskHeartbeatCollector> {
  const collector = new KioskHeartbeatCollector(options);
  app.post(KioskHostRoutes.status, { schema: { body: RendererStatus } }, async (request) => {
    collector.noteRendererStatus(Value.Clone(request.body as RendererStatus));
    return { noted: true };
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/sync/')) collector.noteSyncAnswer(reply.statusCode);
  });
  app.addHook('onClose', async () => collector.stop());
  await collector.start();
  return collector;
}
