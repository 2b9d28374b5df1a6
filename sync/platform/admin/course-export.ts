import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { fromBase64Url } from '../../protocol/base64url';
import {
  COURSE_EXPORT_FORMAT,
  COURSE_EXPORT_INDEX_FILE,
  COURSE_EXPORT_PARTIAL_FILE,
  SIGNED_MANIFEST_FILE,
  signCourseManifest,
  type CourseExportIndex,
  type SignedCourseManifest,
} from '../../protocol/course-export';
import { packageFiles, parseCoursePackage, type CoursePackage, type LessonFile } from '../../protocol/course-package';
import { withSyncWrite } from '../database';
import { ensureActiveIssuerKey } from '../issuer-keys';

export class CourseNotInCatalog extends Error {}

export interface SignedCourse {
  course: CoursePackage;
  signed: SignedCourseManifest;
}

/** Where the package files come from: the platform's content folder, or a running platform's /content/. */
export type PackageFileSource = (courseId: string, file: string) => Promise<Readable>;

export function contentFolderSource(contentDir: string): PackageFileSource {
  return async (courseId, file) => {
    const stream = createReadStream(join(contentDir, courseId, file));
    // Open errors (a file missing from the content folder) surface here, not mid-copy.
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    return stream;
  };
}

export function platformContentSource(platformUrl: string): PackageFileSource {
  return async (courseId, file) => {
    const url = `${platformUrl.replace(/\/+$/, '')}/content/${encodeURIComponent(courseId)}/${encodeURIComponent(file)}`;
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
    return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  };
}

/**
 * The current manifests of the chosen courses (all undeleted ones when `courseIds` is empty),
 * each signed with the platform's active issuer key, which kiosks already hold.
 */
export async function signedCourseManifests(pool: pg.Pool, courseIds: string[] = []): Promise<SignedCourse[]> {
  return withSyncWrite(pool, async (client) => {
    await ensureActiveIssuerKey(client);
    const { rows: keys } = await client.query<{ id: string; secret_key: string }>(
      `select id, secret_key from issuer_keys where status = 'active' order by created_at desc limit 1`,
    );
    const key = keys[0];
    if (!key) throw new Error('The platform has no active issuer key to sign course manifests with.');
    const { rows } = await client.query<{ id: string; manifest: unknown }>(
      courseIds.length > 0 ? 'select id, manifest from courses where not deleted and id = any($1) order by id' : 'select id, manifest from courses where not deleted order by id',
      courseIds.length > 0 ? [courseIds] : [],
    );
    const missing = courseIds.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) throw new CourseNotInCatalog(`No course ${missing.join(', ')} in the platform's catalog; "course import" it first.`);
    const secretKey = fromBase64Url(key.secret_key);
    const signed: SignedCourse[] = [];
    for (const row of rows) {
      const course = parseCoursePackage(row.manifest, `Course ${row.id}`);
      signed.push({ course, signed: await signCourseManifest(course, key.id, secretKey) });
    }
    return signed;
  });
}

/** Copies one file, hashing what is written, so an export never carries a file its manifest would refuse. */
async function copyChecked(source: PackageFileSource, courseId: string, expected: LessonFile, dest: string): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  let input: Readable;
  try {
    input = await source(courseId, expected.file);
  } catch (error) {
    throw new Error(`Course ${courseId}: ${expected.file} cannot be read (${(error as Error).message}).`, { cause: error });
  }
  await pipeline(
    input,
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(dest),
  );
  const sha256 = hash.digest('hex');
  if (bytes !== expected.bytes || sha256 !== expected.sha256) {
    await rm(dest, { force: true });
    throw new Error(`Course ${courseId}: ${expected.file} on the platform does not match its manifest (${bytes} bytes, SHA-256 ${sha256.slice(0, 12)}…); fix the course content, then export again.`);
  }
}

/**
 * Writes the courses into `outDir` (see sync/protocol/course-export.ts for the layout). The index
 * is removed first and written last, beside a "partial" marker that lives only while writing: a
 * drive removed mid-export holds no index, so no kiosk lists a half-copied course from it.
 */
export async function writeCourseExport(
  outDir: string,
  courses: SignedCourse[],
  source: PackageFileSource,
  onFile?: (courseId: string, file: string) => void,
  now = new Date(),
): Promise<CourseExportIndex> {
  await mkdir(outDir, { recursive: true });
  await rm(join(outDir, COURSE_EXPORT_INDEX_FILE), { force: true });
  await writeFile(join(outDir, COURSE_EXPORT_PARTIAL_FILE), `Export started ${now.toISOString()}; not finished.\n`);
  const index: CourseExportIndex = { format: COURSE_EXPORT_FORMAT, exportedAt: now.toISOString(), courses: [] };
  for (const { course, signed } of courses) {
    const folder = join(outDir, course.id);
    await mkdir(folder, { recursive: true });
    // The old signed manifest goes first: until the new one is written the folder is not a package.
    await rm(join(folder, SIGNED_MANIFEST_FILE), { force: true });
    const files = packageFiles(course);
    const seen = new Set<string>();
    for (const file of files) {
      if (seen.has(file.file)) continue;
      seen.add(file.file);
      onFile?.(course.id, file.file);
      await copyChecked(source, course.id, file, join(folder, file.file));
    }
    await writeFile(join(folder, SIGNED_MANIFEST_FILE), `${JSON.stringify(signed, null, 2)}\n`);
    index.courses.push({ id: course.id, version: course.version, folder: course.id, totalBytes: files.reduce((sum, f) => sum + f.bytes, 0) });
  }
  const temporary = join(outDir, `${COURSE_EXPORT_INDEX_FILE}.tmp`);
  await writeFile(temporary, `${JSON.stringify(index, null, 2)}\n`);
  await rename(temporary, join(outDir, COURSE_EXPORT_INDEX_FILE));
  await rm(join(outDir, COURSE_EXPORT_PARTIAL_FILE), { force: true });
  return index;
}
