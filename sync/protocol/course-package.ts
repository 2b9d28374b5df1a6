import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { LocalizedText } from './common';

/**
 * A course package: a manifest plus the lesson files it names, fetched from a base URL as
 * `<base>/<course id>/<file>`. The manifest is what the platform stores and replicates; the
 * kiosk checks every file against its bytes and SHA-256 before a learner can play it.
 */
export const COURSE_PACKAGE_FORMAT = 1;

export const CourseCategory = Type.Union([
  Type.Literal('civic-education'),
  Type.Literal('academic'),
  Type.Literal('skills'),
  Type.Literal('culture-arts'),
  Type.Literal('seniors'),
]);
export type CourseCategory = Static<typeof CourseCategory>;
export const COURSE_CATEGORIES: CourseCategory[] = ['civic-education', 'academic', 'skills', 'culture-arts', 'seniors'];

export const LessonKind = Type.Union([Type.Literal('video'), Type.Literal('audio'), Type.Literal('document'), Type.Literal('page')]);
export type LessonKind = Static<typeof LessonKind>;

/** Lesson and course ids become folder and file names on the kiosk, so they stay path-safe. */
const Slug = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' });
/** A plain file name inside the course folder: no folders, no "..", nothing a path could escape with. */
const FileName = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const LessonFile = Type.Object(
  { file: FileName, bytes: Type.Integer({ minimum: 0 }), sha256: Sha256 },
  { additionalProperties: false },
);
export type LessonFile = Static<typeof LessonFile>;

export const Lesson = Type.Object(
  {
    id: Slug,
    kind: LessonKind,
    title: LocalizedText,
    file: FileName,
    bytes: Type.Integer({ minimum: 0 }),
    sha256: Sha256,
    durationSeconds: Type.Number({ minimum: 0 }),
    /** A WebVTT file with the lesson's captions. */
    subtitles: Type.Optional(LessonFile),
  },
  { additionalProperties: false },
);
export type Lesson = Static<typeof Lesson>;

export const CoursePackage = Type.Object(
  {
    format: Type.Literal(COURSE_PACKAGE_FORMAT),
    id: Slug,
    /** Grows with every change to the course; a kiosk re-fetches files whose checksum changed. */
    version: Type.Integer({ minimum: 1 }),
    title: LocalizedText,
    summary: LocalizedText,
    category: CourseCategory,
    provider: Type.String({ minLength: 1, maxLength: 200 }),
    creditHours: Type.Number({ minimum: 0, maximum: 1000 }),
    /** SPDX id or a short statement, shown to staff. */
    licence: Type.String({ minLength: 1, maxLength: 200 }),
    lessons: Type.Array(Lesson, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type CoursePackage = Static<typeof CoursePackage>;

const validator = Compile(CoursePackage);

export class CoursePackageError extends Error {}

/** Every file a package needs, lessons and their subtitles. */
export function packageFiles(pkg: CoursePackage): LessonFile[] {
  return pkg.lessons.flatMap((lesson) => [
    { file: lesson.file, bytes: lesson.bytes, sha256: lesson.sha256 },
    ...(lesson.subtitles ? [lesson.subtitles] : []),
  ]);
}

/** Checks a manifest from the network or disk; the message names the field and what is wrong. */
export function parseCoursePackage(value: unknown, source = 'course package'): CoursePackage {
  if (!validator.Check(value)) {
    const errors = validator.Errors(value).slice(0, 3);
    const detail = errors.map((e) => `${e.instancePath || '(manifest)'} ${e.message}`).join('; ');
    throw new CoursePackageError(`${source} is not a valid course package: ${detail || 'unknown error'}`);
  }
  const seenLessons = new Set<string>();
  const seenFiles = new Map<string, string>();
  for (const lesson of value.lessons) {
    if (seenLessons.has(lesson.id)) throw new CoursePackageError(`${source}: lesson id "${lesson.id}" appears twice.`);
    seenLessons.add(lesson.id);
  }
  for (const file of packageFiles(value)) {
    const other = seenFiles.get(file.file);
    // One name, one content: two lessons may share a file only if it is the same file.
    if (other !== undefined && other !== file.sha256) {
      throw new CoursePackageError(`${source}: file "${file.file}" is listed twice with different checksums.`);
    }
    seenFiles.set(file.file, file.sha256);
  }
  for (const lesson of value.lessons) {
    if (lesson.subtitles && !lesson.subtitles.file.endsWith('.vtt')) {
      throw new CoursePackageError(`${source}: lesson "${lesson.id}" subtitles must be a WebVTT (.vtt) file.`);
    }
  }
  return value;
}
