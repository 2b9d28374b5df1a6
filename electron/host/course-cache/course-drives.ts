import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  COURSE_EXPORT_INDEX_FILE,
  COURSE_EXPORT_PARTIAL_FILE,
  parseCourseExportIndex,
  SIGNED_MANIFEST_FILE,
  verifySignedCourseManifest,
  type CourseExportIndex,
  type TrustedKey,
} from '../../../sync/protocol/course-export';
import type { CoursePackage } from '../../../sync/protocol/course-package';
import type { CourseExportOnDrive, CourseSource, DriveCourse } from '../../../sync/protocol/course-import-api';
import { CourseImportError } from './import-errors';
import { mountedDrives } from '../removable-drives';

export interface CourseDriveOptions {
  /** Folders whose sub-folders are mounted drives (removable-drives.ts). */
  removableRoots: string[];
  /** kiosk.json courseImportFolder: a folder staff or a technician fill by hand (or a network share). */
  configuredFolder?: string;
  keys: () => TrustedKey[];
  cachedVersion: (courseId: string) => number | null;
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return []; // not mounted, not there, or not ours to read: nothing to offer
  }
}

async function names(dir: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(dir));
  } catch {
    return new Set();
  }
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

/** The export's index; a CourseImportError when it is damaged. */
export async function readExportIndex(exportPath: string): Promise<CourseExportIndex> {
  const source = join(exportPath, COURSE_EXPORT_INDEX_FILE);
  try {
    return parseCourseExportIndex(await readJson(source), source);
  } catch (error) {
    throw new CourseImportError('unreadable', error instanceof SyntaxError ? `${source} is not readable JSON; export the courses again.` : (error as Error).message);
  }
}

/** A course's manifest from the drive, once the platform's signature on it checks. */
export async function readSignedManifest(courseDir: string, keys: TrustedKey[]): Promise<CoursePackage> {
  const source = join(courseDir, SIGNED_MANIFEST_FILE);
  let value: unknown;
  try {
    value = await readJson(source);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CourseImportError(missing ? 'missing-file' : 'unreadable', missing ? `${source} is missing; export the course again.` : `${source} is not readable JSON; export the course again.`);
  }
  try {
    return await verifySignedCourseManifest(value, keys, source);
  } catch (error) {
    throw new CourseImportError('signature', (error as Error).message);
  }
}

async function exportAt(path: string, options: CourseDriveOptions): Promise<CourseExportOnDrive | null> {
  const here = await names(path);
  const hasIndex = here.has(COURSE_EXPORT_INDEX_FILE);
  if (!hasIndex && !here.has(COURSE_EXPORT_PARTIAL_FILE)) return null;
  if (!hasIndex || here.has(COURSE_EXPORT_PARTIAL_FILE)) return { path, exportedAt: null, unfinished: true, courses: [] };
  let index: CourseExportIndex;
  try {
    index = await readExportIndex(path);
  } catch {
    return { path, exportedAt: null, unfinished: true, courses: [] };
  }
  const courses: DriveCourse[] = [];
  for (const entry of index.courses) {
    const row: DriveCourse = { id: entry.id, version: entry.version, totalBytes: entry.totalBytes, title: null, cachedVersion: options.cachedVersion(entry.id) };
    try {
      row.title = (await readSignedManifest(join(path, entry.folder), options.keys())).title;
    } catch (error) {
      row.problem = (error as Error).message;
    }
    courses.push(row);
  }
  return { path, exportedAt: index.exportedAt, unfinished: false, courses };
}

/** Course exports in a drive or folder: at its top, or one folder down (a drive with an export folder). */
async function exportsIn(path: string, options: CourseDriveOptions): Promise<CourseExportOnDrive[]> {
  const found: CourseExportOnDrive[] = [];
  for (const candidate of [path, ...(await subfolders(path))]) {
    const at = await exportAt(candidate, options);
    if (at) found.push(at);
  }
  return found;
}

/** Every mounted drive and the configured folder, with the course exports each holds. */
export async function listCourseSources(options: CourseDriveOptions): Promise<CourseSource[]> {
  const sources: CourseSource[] = [];
  for (const drive of await mountedDrives(options.removableRoots)) {
    sources.push({ path: drive, label: basename(drive), kind: 'removable', exports: await exportsIn(drive, options) });
  }
  if (options.configuredFolder) {
    const folder = options.configuredFolder;
    sources.push({ path: folder, label: basename(folder) || folder, kind: 'configured', exports: await exportsIn(folder, options) });
  }
  return sources;
}
