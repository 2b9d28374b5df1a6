import type { CourseRecord } from '../../protocol/course-record';
import type { CoursePackage } from '../../protocol/course-package';
import type { PlatformCollection } from './platform-collection';

/** The course catalog is the same for every kiosk; kiosks only read it. */
export const courseCollection: PlatformCollection<CourseRecord> = {
  async pull(pool, _kiosk, afterSeq, limit) {
    const { rows } = await pool.query<{ id: string; version: number; manifest: CoursePackage; deleted: boolean; server_seq: string }>(
      'select id, version, manifest, deleted, server_seq from courses where server_seq > $1 order by server_seq limit $2',
      [afterSeq, limit],
    );
    return rows.map((r) => ({ id: r.id, version: r.version, manifest: r.manifest, serverSeq: Number(r.server_seq), _deleted: r.deleted }));
  },
};
