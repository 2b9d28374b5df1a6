import type { KioskDatabase } from '../../renderer/db/kiosk-database';
import { DEMO_KIOSK, OPEN_DEMO_SESSION } from './class-session';

/**
 * Fills a kiosk database with a long history: `received` check-ins the platform has stored
 * (every 100th held for review) and `waiting` ones it has not answered yet, in bulk.
 */
export async function storeKioskHistory(db: KioskDatabase, counts: { received: number; waiting: number }): Promise<void> {
  const total = counts.received + counts.waiting;
  const chunk = 5_000;
  for (let start = 0; start < total; start += chunk) {
    const records = Array.from({ length: Math.min(chunk, total - start) }, (_, i) => {
      const n = start + i;
      const received = n < counts.received;
      return {
        id: `history-${String(n).padStart(7, '0')}`,
        classSessionId: `session-${Math.floor(n / 40)}`,
        learnerId: `GD2026${String(n % 20_000).padStart(6, '0')}`,
        ...DEMO_KIOSK,
        method: 'scanner' as const,
        onRoster: true,
        deviceTime: OPEN_DEMO_SESSION.startsAt,
        ...(received ? { receivedAt: OPEN_DEMO_SESSION.startsAt, serverSeq: n + 1 } : {}),
        ...(received && n % 100 === 0 ? { review: { status: 'held' as const, reasons: ['off-roster' as const] } } : {}),
      };
    });
    await db.attendance.bulkInsert(records);
  }
}
