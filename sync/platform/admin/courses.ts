import type pg from 'pg';
import { withSyncWrite } from '../database';

/**
 * The fields the platform itself relies on. The course package format is owned elsewhere, so
 * the whole manifest is stored as given and only these are read.
 */
export interface CourseManifest {
  id: string;
  version: number;
  title: { 'zh-CN': string; 'zh-HK': string; en: string };
  creditHours: number;
  [field: string]: unknown;
}

/** Stores a course or a newer version of it; an older or equal version is refused. */
export async function importCourseManifest(pool: pg.Pool, manifest: CourseManifest): Promise<{ replaced: boolean }> {
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query<{ version: number }>('select version from courses where id = $1', [manifest.id]);
    const current = rows[0];
    if (current && current.version >= manifest.version) {
      throw new CourseVersionNotNewer(`Course ${manifest.id} is already at version ${current.version}; import a higher version.`);
    }
    await client.query(
      `insert into courses (id, version, manifest, credit_hours, server_seq) values ($1, $2, $3, $4, nextval('sync_seq'))
       on conflict (id) do update set version = excluded.version, manifest = excluded.manifest,
         credit_hours = excluded.credit_hours, server_seq = excluded.server_seq, deleted = false`,
      [manifest.id, manifest.version, JSON.stringify(manifest), manifest.creditHours],
    );
    return { replaced: current !== undefined };
  });
}

export class CourseVersionNotNewer extends Error {}
