import type { CourseRecord } from '../../protocol/course-record';
import { parseCoursePackage } from '../../protocol/course-package';
import type { PlatformCollection } from './platform-collection';

/**
 * The course catalog is the same for every kiosk; kiosks only read it. A stored manifest that is
 * not a valid course package (stored before imports were validated, or edited by hand) is
 * skipped and reported, never served: one bad course must not stop every kiosk's course pull.
 */
export const courseCollection: PlatformCollection<CourseRecord> = {
  async pull(pool, _kiosk, afterSeq, limit) {
    const { rows } = await pool.query<{ id: string; version: number; manifest: unknown; deleted: boolean; server_seq: string }>(
      'select id, version, manifest, deleted, server_seq from courses where server_seq > $1 order by server_seq limit $2',
      [afterSeq, limit],
    );
    const documents: CourseRecord[] = [];
    const skipped: { id: string; problem: string }[] = [];
    for (const r of rows) {
      try {
        const manifest = parseCoursePackage(r.manifest, `course ${r.id}`);
        documents.push({ id: r.id, version: r.version, manifest, serverSeq: Number(r.server_seq), _deleted: r.deleted });
      } catch (error) {
        skipped.push({ id: r.id, problem: (error as Error).message });
      }
    }
    const last = rows.at(-1);
    return { documents, lastSeq: last ? Number(last.server_seq) : null, skipped };
  },
};
