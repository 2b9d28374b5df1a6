import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSyncWrite, type PlatformDatabase } from '../../sync/platform/database';
import { openTestDatabase } from '../support/platform';

// Attendance and lesson progress check their references once per statement instead of by
// foreign keys (migration 1764850000000): a missing reference still refuses the statement with
// SQLSTATE 23503, and the rows they refer to cannot be deleted at all.
const SESSION = '0193a7c4-0000-7000-8000-00000000aa01';
const ROW = '0193a7c4-0000-7000-8000-00000000bb01';
const PROGRESS = '0193a7c4-0000-7000-8000-00000000cc01';

let database: PlatformDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  const { pool } = database;
  await pool.query(`insert into sites (id, name) values ('RC-S', 'Reference site')`);
  await pool.query(`insert into kiosks (id, site_id, name, token_hash) values ('RC-K', 'RC-S', 'Reference kiosk', 'x')`);
  await withSyncWrite(pool, async (client) => {
    await client.query(`insert into learners (id, display_name, home_site_id, server_seq) values ('RC-L', 'Learner', 'RC-S', next_sync_seq())`);
    await client.query(`insert into courses (id, manifest, credit_hours, server_seq) values ('RC-C', '{}', 1, next_sync_seq())`);
    await client.query(
      `insert into class_sessions (id, site_id, title, starts_at, ends_at, status, server_seq)
       values ($1, 'RC-S', 'Class', now(), now() + interval '1 hour', 'open', next_sync_seq())`,
      [SESSION],
    );
  });
});

afterAll(async () => {
  await database.close();
});

/** Inserts one attendance row inside the sync write lock, with the named references. */
function insertAttendance(refs: { session?: string; site?: string; kiosk?: string; learner?: string | null }) {
  const values = { session: SESSION, site: 'RC-S', kiosk: 'RC-K', learner: 'RC-L', ...refs };
  return withSyncWrite(database.pool, (client) =>
    client.query(
      `insert into attendance (id, class_session_id, learner_id, claimed_learner_id, site_id, kiosk_id, method, on_roster, device_time, server_seq)
       values ($1, $2, $3, coalesce($3, 'SOMEONE'), $4, $5, 'manual', true, now(), next_sync_seq())`,
      [ROW, values.session, values.learner, values.site, values.kiosk],
    ),
  );
}

function insertProgress(refs: { course?: string; site?: string; kiosk?: string }) {
  const values = { course: 'RC-C', site: 'RC-S', kiosk: 'RC-K', ...refs };
  return withSyncWrite(database.pool, (client) =>
    client.query(
      `insert into lesson_progress (id, learner_id, course_id, lesson_id, site_id, kiosk_id, position_seconds, duration_seconds, completed, device_time, server_seq)
       values ($1, 'RC-L', $2, 'lesson-1', $3, $4, 0, 60, false, now(), next_sync_seq())`,
      [PROGRESS, values.course, values.site, values.kiosk],
    ),
  );
}

describe('attendance references', () => {
  it.each([
    ['class session', { session: '0193a7c4-0000-7000-8000-00000000ffff' }],
    ['site', { site: 'NO-SITE' }],
    ['kiosk', { kiosk: 'NO-KIOSK' }],
    ['learner', { learner: 'NO-LEARNER' }],
  ])('refuses a row naming a %s the platform does not have', async (_what, refs) => {
    await expect(insertAttendance(refs)).rejects.toMatchObject({ code: '23503', message: expect.stringMatching(/foreign key/) });
    expect((await database.pool.query('select count(*)::int as n from attendance')).rows[0].n).toBe(0);
  });

  it('stores a row whose references exist, with or without a known learner, and checks updates too', async () => {
    await insertAttendance({ learner: null });
    await withSyncWrite(database.pool, (client) => client.query(`update attendance set learner_id = 'RC-L', claimed_learner_id = 'RC-L' where id = $1`, [ROW]));
    await expect(
      withSyncWrite(database.pool, (client) => client.query(`update attendance set learner_id = 'NO-LEARNER', claimed_learner_id = 'NO-LEARNER' where id = $1`, [ROW])),
    ).rejects.toMatchObject({ code: '23503' });
    expect((await database.pool.query('select learner_id from attendance')).rows).toEqual([{ learner_id: 'RC-L' }]);
  });
});

describe('lesson progress references', () => {
  it.each([
    ['course', { course: 'NO-COURSE' }],
    ['site', { site: 'NO-SITE' }],
    ['kiosk', { kiosk: 'NO-KIOSK' }],
  ])('refuses a row naming a %s the platform does not have', async (_what, refs) => {
    await expect(insertProgress(refs)).rejects.toMatchObject({ code: '23503' });
  });

  it('stores a row whose references exist', async () => {
    await insertProgress({});
    expect((await database.pool.query('select count(*)::int as n from lesson_progress')).rows[0].n).toBe(1);
  });
});

describe('referenced rows', () => {
  it.each(['sites', 'kiosks', 'class_sessions', 'courses', 'learners'])('refuses to delete or truncate %s', async (table) => {
    await expect(database.pool.query(`delete from ${table}`)).rejects.toMatchObject({ code: '23503', message: expect.stringMatching(/never deleted/) });
    await expect(database.pool.query(`truncate ${table} cascade`)).rejects.toMatchObject({ code: '23503' });
  });

  it('still holds everything afterwards', async () => {
    const { rows } = await database.pool.query(
      `select (select count(*) from sites where id = 'RC-S')::int as sites, (select count(*) from learners where id = 'RC-L')::int as learners,
              (select count(*) from attendance)::int as attendance`,
    );
    expect(rows).toEqual([{ sites: 1, learners: 1, attendance: 1 }]);
  });
});
