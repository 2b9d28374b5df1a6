import { Type, type Static } from 'typebox';
import { Code, IsoDateTime, LocalizedText } from './common';

/**
 * The kiosk host's routes for importing courses from a drive in staff mode (all staff-only),
 * kept apart from kiosk-host-api.ts because they are one feature: list the drives and the
 * course exports on them, start an import, follow its progress.
 */
export const CourseImportRoutes = {
  sources: '/kiosk/course-imports/sources',
  imports: '/kiosk/course-imports',
} as const;

/** Why a course on a drive was not imported; the message names the file and what to do. */
export const CourseImportProblemCode = Type.Union([
  Type.Literal('signature'),
  Type.Literal('missing-file'),
  Type.Literal('checksum-mismatch'),
  Type.Literal('size-mismatch'),
  Type.Literal('over-budget'),
  Type.Literal('disk-full'),
  Type.Literal('older-version'),
  Type.Literal('busy'),
  Type.Literal('unreadable'),
]);
export type CourseImportProblemCode = Static<typeof CourseImportProblemCode>;

export const DriveCourse = Type.Object(
  {
    id: Code,
    version: Type.Integer({ minimum: 1 }),
    totalBytes: Type.Integer({ minimum: 0 }),
    /** From the signed manifest when it checks; null when it cannot be read or trusted. */
    title: Type.Union([LocalizedText, Type.Null()]),
    /** The version this kiosk already holds complete, if any. */
    cachedVersion: Type.Union([Type.Integer(), Type.Null()]),
    /** Set when the course cannot be imported as it is (bad signature, unreadable manifest). */
    problem: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type DriveCourse = Static<typeof DriveCourse>;

export const CourseExportOnDrive = Type.Object(
  {
    /** Opaque to the renderer: it sends it back to choose this export. */
    path: Type.String(),
    exportedAt: Type.Union([IsoDateTime, Type.Null()]),
    /** An export whose writing never finished (no index, or the partial marker): nothing to import. */
    unfinished: Type.Boolean(),
    courses: Type.Array(DriveCourse),
  },
  { additionalProperties: false },
);
export type CourseExportOnDrive = Static<typeof CourseExportOnDrive>;

export const CourseSource = Type.Object(
  {
    path: Type.String(),
    /** The drive's or folder's own name, as staff see it on its label. */
    label: Type.String(),
    kind: Type.Union([Type.Literal('removable'), Type.Literal('configured')]),
    exports: Type.Array(CourseExportOnDrive),
  },
  { additionalProperties: false },
);
export type CourseSource = Static<typeof CourseSource>;

/** GET sources. */
export const CourseSourcesAnswer = Type.Object({ sources: Type.Array(CourseSource) }, { additionalProperties: false });
export type CourseSourcesAnswer = Static<typeof CourseSourcesAnswer>;

/** POST imports: the export (a `path` from the sources answer) and the courses to take from it. */
export const StartCourseImportBody = Type.Object(
  { exportPath: Type.String({ minLength: 1, maxLength: 4096 }), courseIds: Type.Array(Code, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export type StartCourseImportBody = Static<typeof StartCourseImportBody>;

export const CourseImportOutcome = Type.Object(
  {
    courseId: Code,
    state: Type.Union([Type.Literal('waiting'), Type.Literal('copying'), Type.Literal('imported'), Type.Literal('unchanged'), Type.Literal('refused')]),
    receivedBytes: Type.Integer({ minimum: 0 }),
    totalBytes: Type.Integer({ minimum: 0 }),
    code: Type.Optional(CourseImportProblemCode),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type CourseImportOutcome = Static<typeof CourseImportOutcome>;

/** GET imports: the current or last import, course by course. */
export const CourseImportStatus = Type.Object(
  {
    state: Type.Union([Type.Literal('idle'), Type.Literal('running'), Type.Literal('finished')]),
    courses: Type.Array(CourseImportOutcome),
  },
  { additionalProperties: false },
);
export type CourseImportStatus = Static<typeof CourseImportStatus>;
