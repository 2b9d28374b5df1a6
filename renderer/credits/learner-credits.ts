import type { KioskDatabase } from '../db/kiosk-database';
import { scheduledHours } from '../../sync/protocol/class-session';

export interface LearnerCredits {
  /** Hours the platform's ledger holds (confirmed or still provisional). */
  ledgerHours: number;
  ledgerCredits: number;
  provisionalHours: number;
  /** Hours of this kiosk's attendance the platform has not acknowledged yet. */
  pendingHours: number;
  recent: { title: string; startsAt: string }[];
}

/** What "my credits" shows: the platform's ledger plus this kiosk's records still waiting to sync. */
export async function learnerCredits(db: KioskDatabase, learnerId: string): Promise<LearnerCredits> {
  const [ledger, attendance] = await Promise.all([
    db.credit_ledger.find({ selector: { learnerId } }).exec(),
    db.attendance.find({ selector: { learnerId } }).exec(),
  ]);
  const sessions = await db.class_sessions.findByIds(attendance.map((a) => a.classSessionId)).exec();
  let pendingHours = 0;
  for (const record of attendance) {
    const session = sessions.get(record.classSessionId);
    if (!record.receivedAt && session) pendingHours += scheduledHours(new Date(session.startsAt), new Date(session.endsAt));
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    ledgerHours: round(ledger.reduce((sum, e) => sum + e.hours, 0)),
    ledgerCredits: round(ledger.reduce((sum, e) => sum + e.credits, 0)),
    provisionalHours: round(ledger.filter((e) => e.status === 'provisional').reduce((sum, e) => sum + e.hours, 0)),
    pendingHours: round(pendingHours),
    recent: [...sessions.values()]
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt))
      .slice(0, 5)
      .map((s) => ({ title: s.title, startsAt: s.startsAt })),
  };
}
