import { attendanceRecordId, LATE_CHECK_IN_REASONS, type CheckInMethod, type LateCheckInReason } from '../../sync/protocol/attendance-record';
import { hasEnded, isInsideCheckInWindow, type ClassSession } from '../../sync/protocol/class-session';
import { verifyLearnerCard, type CardRejection, type LearnerCard } from '../../sync/protocol/learner-card';
import type { KioskDatabase } from '../db/kiosk-database';
import { journalRecord } from '../db/record-journal';

export type CheckInResult =
  | { kind: 'checked-in'; learnerId: string; displayName: string; onRoster: boolean }
  | { kind: 'already-checked-in'; learnerId: string; displayName: string }
  | { kind: 'rejected'; reason: CardRejection | 'no-open-session' | 'not-recorded' }
  | { kind: 'rejected'; reason: WindowRejection; opensAt: string };

/** Why an open session does not take a check-in now: its window has not opened, or it has ended. */
export type WindowRejection = 'window-not-open' | 'session-ended';

/** Whether the session takes check-ins at `now` (docs/check-in-and-sync.md): null when it does. */
export function windowRejection(session: Pick<ClassSession, 'checkInOpensAt' | 'endsAt'>, now: Date): WindowRejection | null {
  if (isInsideCheckInWindow(session, now)) return null;
  return hasEnded(session, now) ? 'session-ended' : 'window-not-open';
}

export interface KioskIdentity {
  kioskId: string;
  siteId: string;
}

/** Verifies a card offline against the issuer keys and revocations this kiosk has pulled. */
export async function verifyCardOffline(
  db: KioskDatabase,
  cardText: string,
  now: Date,
): Promise<{ ok: true; card: LearnerCard } | { ok: false; reason: CardRejection }> {
  const [keys, revocations] = await Promise.all([db.issuer_keys.find().exec(), db.card_revocations.find().exec()]);
  const revoked = new Set(revocations.map((r) => r.id));
  const verdict = await verifyLearnerCard(cardText, {
    issuerKeys: keys.map((k) => ({ id: k.id, publicKey: k.publicKey, status: k.status })),
    isRevoked: (serial) => revoked.has(String(serial)),
    now,
  });
  return verdict.ok ? verdict : { ok: false, reason: verdict.reason };
}

/**
 * The check-in rule (README, "Check-in rules"): a valid card makes exactly one attendance record
 * per learner and class session; a second scan changes nothing; a learner missing from the
 * roster is still checked in, flagged for staff; a bad card records nothing; an open session
 * takes check-ins only inside its window (from checkInOpensAt to its end), so a class left open
 * cannot credit anyone days later.
 */
export async function checkInWithCard(
  db: KioskDatabase,
  session: ClassSession,
  kiosk: KioskIdentity,
  cardText: string,
  method: Exclude<CheckInMethod, 'manual'>,
  now: Date = new Date(),
): Promise<CheckInResult> {
  const verdict = await verifyCardOffline(db, cardText, now);
  if (!verdict.ok) return { kind: 'rejected', reason: verdict.reason };
  return recordAttendance(db, session, kiosk, verdict.card.learnerId, verdict.card.displayName, method, now, verdict.card.serial);
}

export async function recordAttendance(
  db: KioskDatabase,
  session: ClassSession,
  kiosk: KioskIdentity,
  learnerId: string,
  displayName: string,
  method: CheckInMethod,
  now: Date,
  cardSerial?: number,
  lateReason?: LateCheckInReason,
): Promise<CheckInResult> {
  // A late check-in (staff, after the class, with a reason from the list) is the one way past the
  // window; the platform holds it for review ('late-check-in'), so it earns nothing unseen.
  if (lateReason !== undefined && !LATE_CHECK_IN_REASONS.includes(lateReason)) {
    throw new RangeError(`A late check-in needs a reason from the list (${LATE_CHECK_IN_REASONS.join(', ')}), not "${String(lateReason)}".`);
  }
  if (lateReason === undefined) {
    if (session.status !== 'open') return { kind: 'rejected', reason: 'no-open-session' };
    const outside = windowRejection(session, now);
    if (outside) return { kind: 'rejected', reason: outside, opensAt: session.checkInOpensAt };
  }
  const id = attendanceRecordId(session.id, learnerId);
  const existing = await db.attendance.findOne(id).exec();
  if (existing) return { kind: 'already-checked-in', learnerId, displayName };
  const onRoster = session.roster.includes(learnerId);
  const record = {
    id,
    classSessionId: session.id,
    learnerId,
    siteId: kiosk.siteId,
    kioskId: kiosk.kioskId,
    method,
    ...(cardSerial === undefined ? {} : { cardSerial }),
    onRoster,
    deviceTime: now.toISOString(),
    ...(lateReason === undefined ? {} : { lateReason }),
  };
  // On the host's disk first, outside the browser profile: a lost IndexedDB cannot lose it. If
  // the host cannot keep it, nothing is recorded and the learner is asked to try again.
  try {
    await journalRecord({ kind: 'attendance', record });
  } catch {
    return { kind: 'rejected', reason: 'not-recorded' };
  }
  try {
    await db.attendance.insert(record);
  } catch (error) {
    // Two scans racing each other: the first one won, which is the same outcome for the learner.
    if ((error as { code?: string }).code === 'CONFLICT') return { kind: 'already-checked-in', learnerId, displayName };
    throw error;
  }
  return { kind: 'checked-in', learnerId, displayName, onRoster };
}
