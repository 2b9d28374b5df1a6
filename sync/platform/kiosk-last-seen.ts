import type pg from 'pg';

/** Once a minute is enough to see which kiosks are alive (kiosk health in the console). */
const LAST_SEEN_EVERY_MS = 60_000;

/**
 * Stamps kiosks.last_seen_at after a push, at most once a minute per kiosk and process. The
 * process remembers when it last wrote, so the other pushes of that minute cost no round trip;
 * the database's own condition still keeps several platform processes from writing more often.
 */
export class KioskLastSeen {
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly pool: pg.Pool) {}

  async record(kioskId: string): Promise<void> {
    const now = Date.now();
    if (now - (this.writtenAt.get(kioskId) ?? -Infinity) < LAST_SEEN_EVERY_MS) return;
    this.writtenAt.set(kioskId, now);
    await this.pool.query(
      `update kiosks set last_seen_at = now() where id = $1 and (last_seen_at is null or last_seen_at < now() - interval '1 minute')`,
      [kioskId],
    );
  }
}
