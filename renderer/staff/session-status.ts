import { hasEnded, type ClassSessionStatus } from '../../sync/protocol/class-session';
import type { KioskDatabase } from '../db/kiosk-database';

/**
 * A status change staff (or the kiosk's own clock) make: one version above the version this
 * kiosk holds, so the platform takes it over anything older and a stale push replayed late can
 * never undo it (docs/check-in-and-sync.md, "Convergence").
 */
async function changeStatus(db: KioskDatabase, id: string, status: ClassSessionStatus): Promise<void> {
  const session = await db.class_sessions.findOne(id).exec();
  if (!session) return;
  await session.incrementalModify((doc) => (doc.status === status ? doc : { ...doc, status, statusVersion: doc.statusVersion + 1 }));
}

/** At most one session is open for check-in: opening one closes the others, each with its own version. */
export async function setSessionStatus(db: KioskDatabase, id: string, status: ClassSessionStatus): Promise<void> {
  if (status === 'open') {
    const others = await db.class_sessions.find({ selector: { status: 'open' } }).exec();
    for (const other of others) if (other.id !== id) await changeStatus(db, other.id, 'closed');
  }
  await changeStatus(db, id, status);
}

/** Closes every open session past its end; returns how many it closed. */
export async function closeEndedSessions(db: KioskDatabase, now: Date): Promise<number> {
  const open = await db.class_sessions.find({ selector: { status: 'open' } }).exec();
  const ended = open.filter((s) => hasEnded(s, now));
  for (const session of ended) await changeStatus(db, session.id, 'closed');
  return ended.length;
}
