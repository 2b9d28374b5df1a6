import { Type, type Static } from 'typebox';
import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import { Code, Id, IsoDateTime, ReplicationFields } from './common';
import { PlatformVerdictFields } from './sync-outcome';

export const CheckInMethod = Type.Union([
  Type.Literal('camera'),
  Type.Literal('scanner'),
  Type.Literal('manual'),
]);
export type CheckInMethod = Static<typeof CheckInMethod>;

/**
 * Why staff check a learner in after the class (a late check-in): picked from this list, never
 * typed, kept on the record and shown for review; the platform holds such records ('late-check-in').
 */
export const LateCheckInReason = Type.Union([
  /** The class was taken on a paper register; staff enter it now. */
  Type.Literal('paper-register'),
  /** The kiosk was off, broken or out of power during the class. */
  Type.Literal('kiosk-unavailable'),
  /** The learner was there but had no card and staff did not record them in time. */
  Type.Literal('missed-at-class'),
  /** The class was held at another time or place than planned. */
  Type.Literal('class-moved'),
]);
export type LateCheckInReason = Static<typeof LateCheckInReason>;
export const LATE_CHECK_IN_REASONS: readonly LateCheckInReason[] = ['paper-register', 'kiosk-unavailable', 'missed-at-class', 'class-moved'];

/**
 * One learner present at one class session. The id is UUIDv5(classSessionId/learnerId), so two
 * kiosks at one site that check in the same learner mint the same id and the platform keeps one.
 */
export const AttendanceRecord = Type.Object(
  {
    id: Id,
    classSessionId: Id,
    learnerId: Code,
    siteId: Code,
    kioskId: Code,
    method: CheckInMethod,
    cardSerial: Type.Optional(Type.Integer({ minimum: 0 })),
    onRoster: Type.Boolean(),
    /** The kiosk's clock at check-in: kept for people, never used to order or dedupe. */
    deviceTime: IsoDateTime,
    /** Set only on a late check-in (after the class), with the reason staff picked. */
    lateReason: Type.Optional(LateCheckInReason),
    /** The platform's clock when it first stored the record. */
    receivedAt: Type.Optional(IsoDateTime),
    ...PlatformVerdictFields,
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type AttendanceRecord = Static<typeof AttendanceRecord>;

// Parsed once: uuid would otherwise validate and parse the namespace string on every id.
const ATTENDANCE_NAMESPACE = parseUuid('6f1c52f0-5d3b-4a8e-9a51-5b0d8e1c7a10');

/** The only id an attendance record may have: the platform rejects any other. */
export function attendanceRecordId(classSessionId: string, learnerId: string): string {
  return uuidv5(`${classSessionId}/${learnerId}`, ATTENDANCE_NAMESPACE);
}
