import { join } from 'node:path';
import type { CourseImportOutcome, CourseImportStatus } from '../../../sync/protocol/course-import-api';
import { CourseCacheError } from './cache-errors';
import type { CourseCache } from './course-cache';
import { listCourseSources, readExportIndex, readSignedManifest, type CourseDriveOptions } from './course-drives';
import { CourseImportError } from './import-errors';

/** Why an export path from the renderer is not taken. */
export class ImportRefused extends Error {
  constructor(
    readonly statusCode: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs one import at a time, course after course, and keeps its progress for staff to follow.
 * The renderer only ever names an export the host itself listed, never a path of its own.
 */
export class CourseImports {
  private status: CourseImportStatus = { state: 'idle', courses: [] };
  private running: Promise<void> | null = null;

  constructor(
    private readonly cache: CourseCache,
    private readonly drives: CourseDriveOptions,
  ) {}

  current(): CourseImportStatus {
    return this.status;
  }

  /** Resolves when the running import (if any) has finished; for tests and shutdown. */
  async settled(): Promise<void> {
    await this.running;
  }

  async start(exportPath: string, courseIds: string[]): Promise<CourseImportStatus> {
    if (this.running) throw new ImportRefused(409, 'An import is already running; wait until it finishes.');
    const sources = await listCourseSources(this.drives);
    const chosen = sources.flatMap((s) => s.exports).find((e) => e.path === exportPath);
    if (!chosen) throw new ImportRefused(404, 'That drive or folder is no longer there; put the drive back in and choose again.');
    if (chosen.unfinished) throw new ImportRefused(422, 'The export on that drive was never finished; export the courses again.');
    const unknown = courseIds.filter((id) => !chosen.courses.some((c) => c.id === id));
    if (unknown.length > 0) throw new ImportRefused(404, `The drive holds no course ${unknown.join(', ')}.`);
    this.status = {
      state: 'running',
      courses: courseIds.map((courseId) => ({ courseId, state: 'waiting', receivedBytes: 0, totalBytes: chosen.courses.find((c) => c.id === courseId)?.totalBytes ?? 0 })),
    };
    this.running = this.run(exportPath).finally(() => {
      this.running = null;
      this.status = { ...this.status, state: 'finished' };
    });
    return this.status;
  }

  private update(courseId: string, change: Partial<CourseImportOutcome>): void {
    this.status = { ...this.status, courses: this.status.courses.map((c) => (c.courseId === courseId ? { ...c, ...change } : c)) };
  }

  private async run(exportPath: string): Promise<void> {
    for (const { courseId } of this.status.courses) {
      this.update(courseId, { state: 'copying' });
      try {
        const index = await readExportIndex(exportPath);
        const entry = index.courses.find((c) => c.id === courseId);
        if (!entry) throw new CourseImportError('missing-file', `The drive's index no longer lists course ${courseId}.`);
        const folder = join(exportPath, entry.folder);
        const manifest = await readSignedManifest(folder, this.drives.keys());
        if (manifest.id !== courseId) throw new CourseImportError('signature', `${folder} holds course ${manifest.id}, not ${courseId}; export the courses again.`);
        const result = await this.cache.importCourse(manifest, folder, (p) => this.update(courseId, { receivedBytes: p.receivedBytes, totalBytes: p.totalBytes }));
        this.update(courseId, { state: result, receivedBytes: this.cache.course(courseId)?.bytes ?? 0 });
      } catch (error) {
        const code = error instanceof CourseImportError || error instanceof CourseCacheError ? error.code : 'unreadable';
        this.update(courseId, { state: 'refused', code: code === 'http' ? 'unreadable' : code, message: (error as Error).message });
      }
    }
  }
}
