import type { CoursePackage } from '../../../sync/protocol/course-package';
import { CourseCacheError } from './cache-errors';
import type { CourseCache } from './course-cache';

export type CourseCacheState = 'absent' | 'downloading' | 'ready' | 'failed';

export interface CourseCacheStatus {
  state: CourseCacheState;
  receivedBytes: number;
  totalBytes: number;
  /** Why the last download failed (checksum, disk full, budget, network), for staff. */
  message?: string;
  code?: CourseCacheError['code'];
}

/**
 * Runs course downloads in the background and remembers how each is going, so the renderer can
 * start one with a tap and poll its progress. After a full disk, further downloads are refused
 * until the host restarts: retrying would only fill the disk again, and nothing cached is deleted.
 */
export class CourseDownloads {
  private readonly status = new Map<string, CourseCacheStatus>();
  private diskFull: string | null = null;

  constructor(
    private readonly cache: CourseCache,
    private readonly baseUrl: string,
  ) {}

  statusOf(courseId: string): CourseCacheStatus {
    const known = this.status.get(courseId);
    if (known) return known;
    const cached = this.cache.course(courseId);
    if (cached?.complete) return { state: 'ready', receivedBytes: cached.bytes, totalBytes: cached.bytes };
    return { state: 'absent', receivedBytes: 0, totalBytes: 0 };
  }

  /** Ids with a download running or a failure to report, which may not be in the cache index. */
  knownIds(): string[] {
    return [...this.status.keys()];
  }

  /** Staff removed the course: a past failure no longer describes it. */
  forget(courseId: string): void {
    this.status.delete(courseId);
  }

  /** Starts (or joins) the download; resolves when it settles, never rejects. */
  start(manifest: CoursePackage): Promise<void> {
    if (this.diskFull) {
      this.status.set(manifest.id, { state: 'failed', receivedBytes: 0, totalBytes: 0, code: 'disk-full', message: this.diskFull });
      return Promise.resolve();
    }
    this.status.set(manifest.id, { state: 'downloading', receivedBytes: 0, totalBytes: 0 });
    return this.cache
      .ensureCourse(manifest, this.baseUrl, (p) => this.status.set(manifest.id, { state: 'downloading', ...p }))
      .then(async () => {
        this.status.delete(manifest.id);
        await this.cache.touch(manifest.id);
      })
      .catch((error: unknown) => {
        const code = error instanceof CourseCacheError ? error.code : undefined;
        const message = error instanceof Error ? error.message : String(error);
        if (code === 'disk-full') this.diskFull = message;
        const previous = this.status.get(manifest.id);
        this.status.set(manifest.id, { state: 'failed', receivedBytes: previous?.receivedBytes ?? 0, totalBytes: previous?.totalBytes ?? 0, message, ...(code ? { code } : {}) });
      });
  }
}
