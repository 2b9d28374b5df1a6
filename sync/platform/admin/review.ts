import type pg from 'pg';
import type { CoursePackage } from '../../protocol/course-package';
import { lessonCreditHours } from '../../protocol/lesson-progress';
import { attendanceCreditSource } from '../collections/attendance';
import { lessonCreditSource } from '../collections/lesson-progress';
import { addLedgerEntries } from '../credit-ledger';
import { withSyncWrite } from '../database';
import { AdminConflict, AdminNotFound } from './sites';

export type ReviewedCollection = 'attendance' | 'lesson_progress';

export interface HeldRecord {
  collection: ReviewedCollection;
  id: string;
  learnerId: string;
  siteId: string;
  kioskId: string;
  /** The class session, or course/lesson, the record is about. */
  subject: string;
  reasons: string[];
  /** A late check-in's reason, as staff picked it on the kiosk. */
  lateReason?: string;
  deviceTime: string;
  receivedAt: string;
}

export interface Refusal {
  id: number;
  collection: string;
  recordId: string;
  kioskId: string;
  siteId: string;
  reason: string;
  message: string;
  document: unknown;
  receivedAt: string;
}

/** Records the platform stored but holds for review, oldest first; a site narrows the list. */
export async function heldRecords(pool: pg.Pool, siteId?: string): Promise<HeldRecord[]> {
  const { rows } = await pool.query<{
    collection: ReviewedCollection; id: string; learner_id: string; site_id: string; kiosk_id: string; subject: string;
    reasons: string[]; late_reason: string | null; device_time: Date; received_at: Date;
  }>(
    `select 'attendance' as collection, id, claimed_learner_id as learner_id, site_id, kiosk_id, class_session_id::text as subject,
            review_reasons as reasons, late_reason, device_time, received_at
       from attendance where review_status = 'held' and ($1::text is null or site_id = $1)
     union all
     select 'lesson_progress', id, learner_id, site_id, kiosk_id, course_id || '/' || lesson_id, review_reasons, null, device_time, received_at
       from lesson_progress where review_status = 'held' and ($1::text is null or site_id = $1)
     order by received_at, id`,
    [siteId ?? null],
  );
  return rows.map((r) => ({
    collection: r.collection,
    id: r.id,
    learnerId: r.learner_id,
    siteId: r.site_id,
    kioskId: r.kiosk_id,
    subject: r.subject,
    reasons: r.reasons,
    ...(r.late_reason === null ? {} : { lateReason: r.late_reason }),
    deviceTime: r.device_time.toISOString(),
    receivedAt: r.received_at.toISOString(),
  }));
}

/** Rows kiosks pushed that could not be stored, as received, newest first. */
export async function refusedRows(pool: pg.Pool, siteId?: string): Promise<Refusal[]> {
  const { rows } = await pool.query<{
    id: string; collection: string; record_id: string; kiosk_id: string; site_id: string; reason: string; message: string; document: unknown; received_at: Date;
  }>(
    `select * from sync_refusals where ($1::text is null or site_id = $1) order by received_at desc, id desc`,
    [siteId ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    collection: r.collection,
    recordId: r.record_id,
    kioskId: r.kiosk_id,
    siteId: r.site_id,
    reason: r.reason,
    message: r.message,
    document: r.document,
    receivedAt: r.received_at.toISOString(),
  }));
}

async function heldCollection(client: pg.ClientBase, id: string): Promise<ReviewedCollection> {
  for (const collection of ['attendance', 'lesson_progress'] as const) {
    const { rows } = await client.query<{ review_status: string | null }>(`select review_status from ${collection} where id = $1 for update`, [id]);
    const row = rows[0];
    if (!row) continue;
    if (row.review_status !== 'held') throw new AdminConflict(`Record ${id} is not held for review (${row.review_status ?? 'accepted'}).`);
    return collection;
  }
  throw new AdminNotFound(`No record ${id} is held for review.`);
}

/**
 * An operator vouches for a held record: it becomes creditable now, so its credit_seq is taken
 * now and the credit rule grants it what its day has left after everything credited before it
 * (recompute orders by credit_seq and so agrees). Kiosks pull the new review status.
 */
export async function approveHeldRecord(pool: pg.Pool, id: string): Promise<{ collection: ReviewedCollection; creditedHours: number }> {
  return withSyncWrite(pool, (client) => approveHeldRecordWith(client, id));
}

/** approveHeldRecord inside a sync write the caller holds (approving a proposed session releases its check-ins this way). */
export async function approveHeldRecordWith(client: pg.PoolClient, id: string): Promise<{ collection: ReviewedCollection; creditedHours: number }> {
  const collection = await heldCollection(client, id);
  if (collection === 'attendance') {
    const { rows } = await client.query<{ claimed_learner_id: string; known: boolean; starts_at: Date; ends_at: Date }>(
      `select a.claimed_learner_id, exists (select 1 from learners l where l.id = a.claimed_learner_id) as known, s.starts_at, s.ends_at
         from attendance a join class_sessions s on s.id = a.class_session_id where a.id = $1`,
      [id],
    );
    const row = rows[0] as (typeof rows)[number];
    if (!row.known) throw new AdminConflict(`Learner ${row.claimed_learner_id} does not exist: import the learner, then approve.`);
    await client.query(
      `update attendance set review_status = 'approved', reviewed_at = now(), learner_id = claimed_learner_id,
              credit_seq = next_sync_seq(), server_seq = next_sync_seq() where id = $1`,
      [id],
    );
    const source = attendanceCreditSource(id, row.claimed_learner_id, row);
    await addLedgerEntries(client, [source]);
    return { collection, creditedHours: await creditedHours(client, id) };
  }
  const { rows } = await client.query<{ learner_id: string; known: boolean; completed: boolean; completed_at: Date | null; manifest: CoursePackage | null }>(
    `select p.learner_id, exists (select 1 from learners l where l.id = p.learner_id) as known, p.completed, p.completed_at, c.manifest
       from lesson_progress p left join courses c on c.id = p.course_id where p.id = $1`,
    [id],
  );
  const row = rows[0] as (typeof rows)[number];
  if (!row.known) throw new AdminConflict(`Learner ${row.learner_id} does not exist: import the learner, then approve.`);
  if (!row.manifest || !row.completed || !row.completed_at) throw new AdminConflict(`Lesson progress ${id} has no completion to credit.`);
  const hours = lessonCreditHours(row.manifest);
  await client.query(
    `update lesson_progress set review_status = 'approved', reviewed_at = now(), credit_seq = next_sync_seq(), credited_hours = $2,
            server_seq = next_sync_seq() where id = $1`,
    [id, hours],
  );
  await addLedgerEntries(client, [lessonCreditSource(id, row.learner_id, hours, row.completed_at)]);
  return { collection, creditedHours: await creditedHours(client, id) };
}

async function creditedHours(client: pg.ClientBase, sourceId: string): Promise<number> {
  const { rows } = await client.query<{ hours: string }>('select hours from credit_ledger where source_id = $1', [sourceId]);
  return Number(rows[0]?.hours ?? 0);
}

/** An operator refuses a held record: it stays stored, earns nothing, and kiosks pull the verdict. */
export async function refuseHeldRecord(pool: pg.Pool, id: string): Promise<{ collection: ReviewedCollection }> {
  return withSyncWrite(pool, async (client) => {
    const collection = await heldCollection(client, id);
    await client.query(`update ${collection} set review_status = 'refused', reviewed_at = now(), server_seq = next_sync_seq() where id = $1`, [id]);
    return { collection };
  });
}
