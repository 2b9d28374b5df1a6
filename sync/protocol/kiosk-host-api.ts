import { Type, type Static, type TSchema } from 'typebox';
import { AttendanceRecord } from './attendance-record';
import { Code, IsoDateTime } from './common';
import { LessonProgress } from './lesson-progress';

/**
 * The kiosk host's HTTP contract with its renderer: route paths and the schema of every body.
 * The host validates with these schemas and the renderer reads its answers by them, so neither
 * side keeps its own copy. Paths with `:id` are Fastify route patterns; the renderer builds the
 * concrete path with `kioskHostPath`.
 */
// The paths and the staff header are plain constants in their own module, so a page can name
// them without loading the schemas below (the kiosk's first bundle, npm run bench -- startup).
export { KioskHostRoutes, kioskHostPath, STAFF_TOKEN_HEADER } from './kiosk-host-routes';

export const ErrorAnswer = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() });
export type ErrorAnswer = Static<typeof ErrorAnswer>;

/** GET /kiosk/config: what the renderer may know of the kiosk (never its credential). */
const Timing = {
  syncIntervalMs: Type.Integer({ minimum: 1 }),
  idleSeconds: Type.Integer({ minimum: 1 }),
  timeZone: Type.String(),
};
export const EnrolledKioskConfig = Type.Object(
  {
    enrolled: Type.Literal(true),
    kioskId: Code,
    siteId: Code,
    ...Timing,
    /** Offline longer than this, staff mode warns (kiosk.json `offlineWarningDays`); check-ins go on. */
    offlineWarningDays: Type.Number({ exclusiveMinimum: 0 }),
    /** When the platform last answered this kiosk, by its clock, kept across restarts; null if never known. */
    lastPlatformContactAt: Type.Union([IsoDateTime, Type.Null()]),
  },
  { additionalProperties: false },
);
export type EnrolledKioskConfig = Static<typeof EnrolledKioskConfig>;
export const KioskConfigAnswer = Type.Union([
  EnrolledKioskConfig,
  Type.Object({ enrolled: Type.Literal(false), kioskName: Type.String(), ...Timing }, { additionalProperties: false }),
]);
export type KioskConfigAnswer = Static<typeof KioskConfigAnswer>;

/** GET /kiosk/enrolment: how the kiosk's own enrolment is going. */
export const EnrolmentStatus = Type.Union([
  Type.Literal('starting'),
  Type.Literal('waiting'),
  Type.Literal('offline'),
  Type.Literal('expired'),
  Type.Literal('enrolled'),
  Type.Literal('refused'),
]);
export type EnrolmentStatus = Static<typeof EnrolmentStatus>;
export const EnrolmentProgress = Type.Object(
  {
    status: EnrolmentStatus,
    /** XXXX-XXXX while a request waits for approval (also while the platform cannot be reached). */
    userCode: Type.Union([Type.String(), Type.Null()]),
    /** The platform's approval page for this code: what the kiosk's QR holds. */
    approveUrl: Type.Union([Type.String(), Type.Null()]),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    /** The last thing that went wrong, in the platform's or the host's words, for staff. */
    problem: Type.Union([Type.String(), Type.Null()]),
    /** The site the kiosk is enrolled to, once it is. */
    siteId: Type.Union([Type.String(), Type.Null()]),
    /**
     * Records in the host's journal the platform has not confirmed (say, from this kiosk's
     * earlier enrolment): the enrolment screen warns, and they are sent under the new enrolment.
     */
    waitingRecords: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type EnrolmentProgress = Static<typeof EnrolmentProgress>;

/** POST /kiosk/enrolment/code */
export const EnrolmentCodeBody = Type.Object({ code: Type.String({ minLength: 4, maxLength: 200 }) }, { additionalProperties: false });
export type EnrolmentCodeBody = Static<typeof EnrolmentCodeBody>;
export const EnrolmentCodeAnswer = Type.Object({ kioskId: Code, siteId: Code }, { additionalProperties: false });
export type EnrolmentCodeAnswer = Static<typeof EnrolmentCodeAnswer>;

/** POST /kiosk/staff/unlock */
export const StaffUnlockBody = Type.Object({ pin: Type.String({ maxLength: 16 }) }, { additionalProperties: false });
export type StaffUnlockBody = Static<typeof StaffUnlockBody>;
export const StaffUnlocked = Type.Object(
  {
    unlocked: Type.Literal(true),
    /** Sent back in STAFF_TOKEN_HEADER on every staff route. */
    token: Type.String({ minLength: 32 }),
    /** Idle time after which the token stops working; each use renews it. */
    idleTimeoutMs: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type StaffUnlocked = Static<typeof StaffUnlocked>;
export const StaffUnlockRefused = Type.Object(
  {
    unlocked: Type.Literal(false),
    /** Wait this long before the next guess is checked; 0 when the PIN was simply wrong. */
    lockedForMs: Type.Integer({ minimum: 0 }),
    attemptsLeft: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type StaffUnlockRefused = Static<typeof StaffUnlockRefused>;

/** The host's answer to a staff route without a valid token (401): the renderer asks for the PIN again. */
export const STAFF_TOKEN_PROBLEM = 'staff-token';

/** The kiosk's course cache, course by course. */
export const CourseCacheState = Type.Union([Type.Literal('absent'), Type.Literal('downloading'), Type.Literal('ready'), Type.Literal('failed')]);
export type CourseCacheState = Static<typeof CourseCacheState>;
export const CourseCacheErrorCode = Type.Union([
  Type.Literal('checksum-mismatch'),
  Type.Literal('disk-full'),
  Type.Literal('over-budget'),
  Type.Literal('http'),
  Type.Literal('size-mismatch'),
  Type.Literal('not-in-catalog'),
]);
export type CourseCacheErrorCode = Static<typeof CourseCacheErrorCode>;
/** GET /kiosk/courses/:id, and the answer to a download or open. */
export const CourseCacheStatus = Type.Object(
  {
    state: CourseCacheState,
    receivedBytes: Type.Integer({ minimum: 0 }),
    totalBytes: Type.Integer({ minimum: 0 }),
    /** Why the last download failed (checksum, disk full, budget, network), for staff. */
    message: Type.Optional(Type.String()),
    code: Type.Optional(CourseCacheErrorCode),
  },
  { additionalProperties: false },
);
export type CourseCacheStatus = Static<typeof CourseCacheStatus>;
export const CachedCourseRow = Type.Object(
  {
    id: Type.String(),
    state: CourseCacheState,
    receivedBytes: Type.Integer(),
    totalBytes: Type.Integer(),
    bytes: Type.Integer(),
    pinned: Type.Boolean(),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type CachedCourseRow = Static<typeof CachedCourseRow>;
/** GET /kiosk/courses (staff). */
export const CacheListing = Type.Object({ usedBytes: Type.Integer(), budgetBytes: Type.Integer(), courses: Type.Array(CachedCourseRow) }, { additionalProperties: false });
export type CacheListing = Static<typeof CacheListing>;
export const CourseIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** PUT /kiosk/courses/:id/pin (staff). */
export const PinBody = Type.Object({ pinned: Type.Boolean() }, { additionalProperties: false });
export type PinBody = Static<typeof PinBody>;

/**
 * The host's journal: every record the kiosk creates, kept on disk outside the browser profile
 * so a lost IndexedDB loses nothing (README, "Records journal"). POST hands one record to the
 * host before the learner is told it is recorded; GET gives back every record for the kiosk's
 * site, re-stamped with the kiosk id in force, for the renderer to re-insert what it lacks.
 */
/** A record as the kiosk created it: the platform's own fields (sequence, receive time, deletion) are not the kiosk's. */
const PLATFORM_FIELDS = new Set(['_deleted', 'serverSeq', 'receivedAt']);
function createdFields<P extends Record<string, TSchema>>(properties: P): Omit<P, '_deleted' | 'serverSeq' | 'receivedAt'> {
  return Object.fromEntries(Object.entries(properties).filter(([name]) => !PLATFORM_FIELDS.has(name))) as Omit<P, '_deleted' | 'serverSeq' | 'receivedAt'>;
}
export const JournaledAttendance = Type.Object(createdFields(AttendanceRecord.properties), { additionalProperties: false });
export type JournaledAttendance = Static<typeof JournaledAttendance>;
export const JournaledProgress = Type.Object(createdFields(LessonProgress.properties), { additionalProperties: false });
export type JournaledProgress = Static<typeof JournaledProgress>;
const JournalAttendance = Type.Object({ kind: Type.Literal('attendance'), record: JournaledAttendance }, { additionalProperties: false });
const JournalProgress = Type.Object({ kind: Type.Literal('lesson_progress'), record: JournaledProgress }, { additionalProperties: false });
export const JournalEntry = Type.Union([JournalAttendance, JournalProgress]);
export type JournalEntry = Static<typeof JournalEntry>;
export const JournalAppended = Type.Object({ journaledAt: IsoDateTime }, { additionalProperties: false });
export const JournalListing = Type.Object({ entries: Type.Array(JournalEntry) }, { additionalProperties: false });
export type JournalListing = Static<typeof JournalListing>;
/** POST /kiosk/journal/confirmed: records the platform holds (the kiosk pulled them back with receivedAt). */
export const JournalConfirmBody = Type.Object(
  { confirmed: Type.Array(Type.Object({ id: Type.String({ maxLength: 64 }), deviceTime: IsoDateTime }, { additionalProperties: false }), { maxItems: 1000 }) },
  { additionalProperties: false },
);
export type JournalConfirmBody = Static<typeof JournalConfirmBody>;
