import { statfs } from 'node:fs/promises';
import { packageFiles, type CoursePackage } from '../../../sync/protocol/course-package';
import type { CourseCacheStatus } from '../../../sync/protocol/kiosk-host-api';
import { CourseCacheError } from './cache-errors';
import type { CourseCache } from './course-cache';

/** How often to look whether a full disk has room again. */
const DEFAULT_DISK_POLL_MS = 30_000;

async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/**
 * Runs course downloads in the background and remembers how each is going, so the renderer can
 * start one with a tap and poll its progress. A full disk stops a download (nothing cached is
 * deleted for it) and holds new ones back while the disk has less free space than they need;
 * once space is freed (staff remove a course, the operator clears files), the stopped downloads
 * resume from their partial files on their own, with no restart.
 */
export class CourseDownloads {
  private readonly status = new Map<string, CourseCacheStatus>();
  /** Downloads a full disk stopped, by course id, resumed once there is room. */
  private readonly waitingForSpace = new Map<string, CoursePackage>();
  private diskFull: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly cache: CourseCache,
    private readonly baseUrl: string,
    private readonly diskPollMs = DEFAULT_DISK_POLL_MS,
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

  /** Staff removed the course: a past failure no longer describes it, and it is not resumed. */
  forget(courseId: string): void {
    this.status.delete(courseId);
    this.waitingForSpace.delete(courseId);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Bytes the course still needs on disk, with room to spare for the index and file system. */
  private bytesNeeded(manifest: CoursePackage): number {
    const total = packageFiles(manifest).reduce((sum, f) => sum + f.bytes, 0);
    const received = this.status.get(manifest.id)?.receivedBytes ?? 0;
    return Math.max(0, total - received) + 1024 * 1024;
  }

  private async hasRoomFor(manifest: CoursePackage): Promise<boolean> {
    try {
      return (await freeBytes(this.cache.dir)) >= this.bytesNeeded(manifest);
    } catch {
      return false;
    }
  }

  /** Starts (or joins) the download; resolves when it settles, never rejects. */
  async start(manifest: CoursePackage): Promise<void> {
    if (this.diskFull) {
      if (!(await this.hasRoomFor(manifest))) {
        const previous = this.status.get(manifest.id);
        this.status.set(manifest.id, { state: 'failed', receivedBytes: previous?.receivedBytes ?? 0, totalBytes: previous?.totalBytes ?? 0, code: 'disk-full', message: this.diskFull });
        this.waitingForSpace.set(manifest.id, manifest);
        return;
      }
      this.diskFull = null;
    }
    this.waitingForSpace.delete(manifest.id);
    this.status.set(manifest.id, { state: 'downloading', receivedBytes: this.status.get(manifest.id)?.receivedBytes ?? 0, totalBytes: 0 });
    return this.cache
      .ensureCourse(manifest, this.baseUrl, (p) => this.status.set(manifest.id, { state: 'downloading', ...p }))
      .then(async () => {
        this.status.delete(manifest.id);
        await this.cache.touch(manifest.id);
      })
      .catch((error: unknown) => {
        const code = error instanceof CourseCacheError ? error.code : undefined;
        const message = error instanceof Error ? error.message : String(error);
        const previous = this.status.get(manifest.id);
        this.status.set(manifest.id, { state: 'failed', receivedBytes: previous?.receivedBytes ?? 0, totalBytes: previous?.totalBytes ?? 0, message, ...(code ? { code } : {}) });
        if (code === 'disk-full') {
          this.diskFull = message;
          this.waitingForSpace.set(manifest.id, manifest);
          this.watchForSpace();
        }
      });
  }

  private watchForSpace(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.resumeIfRoom(), this.diskPollMs);
    this.timer.unref();
  }

  /** Resumes the stopped downloads that fit now, one after another; stops watching when none wait. */
  async resumeIfRoom(): Promise<void> {
    for (const manifest of [...this.waitingForSpace.values()]) {
      if (!(await this.hasRoomFor(manifest))) continue;
      this.diskFull = null;
      await this.start(manifest);
    }
    if (this.waitingForSpace.size === 0) this.close();
  }
}
