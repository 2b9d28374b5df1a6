import type pg from 'pg';
import { parseCoursePackage } from '../../protocol/course-package';
import { withSyncWrite } from '../database';

/**
 * Stores a course or a newer version of it; an older or equal version is refused. The manifest
 * must be a valid course package (the schema every kiosk checks it against): a course that a
 * kiosk could not read would stop every kiosk's course pull, so it is refused here, with the
 * field named (CoursePackageError).
 */
export async function importCourseManifest(pool: pg.Pool, manifest: unknown): Promise<{ id: string; version: number; replaced: boolean }> {
  const course = parseCoursePackage(manifest, 'The course manifest');
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query<{ version: number }>('select version from courses where id = $1', [course.id]);
    const current = rows[0];
    if (current && current.version >= course.version) {
      throw new CourseVersionNotNewer(`Course ${course.id} is already at version ${current.version}; import a higher version.`);
    }
    await client.query(
      `insert into courses (id, version, manifest, credit_hours, server_seq) values ($1, $2, $3, $4, next_sync_seq())
       on conflict (id) do update set version = excluded.version, manifest = excluded.manifest,
         credit_hours = excluded.credit_hours, server_seq = excluded.server_seq, deleted = false`,
      [course.id, course.version, JSON.stringify(course), course.creditHours],
    );
    return { id: course.id, version: course.version, replaced: current !== undefined };
  });
}

export class CourseVersionNotNewer extends Error {}
