/**
 * What the catch-up and bundle benches start from: the demo platform with weeks of classes at
 * the demo site, each rostered to the same learners (so the platform's re-checks pass every
 * record, in order), and the check-ins a kiosk gathered offline in them.
 */
import type pg from 'pg';
import { createClassSession } from '../sync/platform/admin/class-sessions';
import { withSyncWrite } from '../sync/platform/database';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../sync/platform/demo-seed';
import { attendanceRecordId, type AttendanceRecord } from '../sync/protocol/attendance-record';
import { backdateKioskEnrolment } from '../test/support/trusted-sync';

const LEARNERS_PER_SESSION = 100;
const DAY = 86_400_000;

export interface OfflineSite {
  kioskCredential: string;
  /** One record per (class, learner), oldest class first, as the kiosk would hold them. */
  checkIns: Omit<AttendanceRecord, '_deleted'>[];
}

export async function seedOfflineCheckIns(pool: pg.Pool, records: number, classTitle: string): Promise<OfflineSite> {
  const sessions = Math.ceil(records / LEARNERS_PER_SESSION);
  const { kioskCredential } = await seedDemo(pool, null);
  if (!kioskCredential) throw new Error('the demo kiosk was already enrolled: the bench needs a fresh database');
  await backdateKioskEnrolment(pool);
  const learnerIds = Array.from({ length: LEARNERS_PER_SESSION }, (_, i) => `GD2026${String(900_000 + i)}`);
  await withSyncWrite(pool, (client) =>
    client.query(`insert into learners (id, display_name, home_site_id, server_seq) select id, id, $2, next_sync_seq() from unnest($1::text[]) as id`, [learnerIds, DEMO_SITE_ID]),
  );
  const classes: { id: string; during: string }[] = [];
  const firstStart = Date.now() - ((sessions + 1) * DAY) / 4;
  for (let s = 0; s < sessions; s++) {
    const startsAt = new Date(firstStart + (s * DAY) / 4);
    const { id } = await createClassSession(pool, {
      siteId: DEMO_SITE_ID,
      title: `${classTitle} ${s}`,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      status: 'open',
      roster: learnerIds,
    });
    classes.push({ id, during: new Date(startsAt.getTime() + 10 * 60_000).toISOString() });
  }
  const checkIns = Array.from({ length: records }, (_, n) => {
    const session = classes[Math.floor(n / LEARNERS_PER_SESSION)]!;
    const learnerId = learnerIds[n % LEARNERS_PER_SESSION]!;
    return {
      id: attendanceRecordId(session.id, learnerId),
      classSessionId: session.id,
      learnerId,
      siteId: DEMO_SITE_ID,
      kioskId: DEMO_KIOSK_ID,
      method: 'manual' as const,
      onRoster: true,
      deviceTime: session.during,
    };
  });
  return { kioskCredential, checkIns };
}
