import type { RxJsonSchema } from 'rxdb';
import { LATE_CHECK_IN_REASONS, type AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSessionAnswer } from '../../sync/protocol/class-session';
import type { CreditLedgerEntry } from '../../sync/protocol/credit-ledger-entry';
import type { CardRevocation, IssuerKey } from '../../sync/protocol/issuer-key';
import type { CourseRecord } from '../../sync/protocol/course-record';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import type { SiteLearner } from '../../sync/protocol/site-learner';
import { RECORD_SYNC_STATES, type RecordSyncState } from '../../sync/protocol/sync-outcome';

// RxDB schemas mirror the protocol documents (sync/protocol), with the maxLength and indexes
// IndexedDB needs. `_deleted` is RxDB's own field and is not declared here.
type Doc<T> = Omit<T, '_deleted'>;

/**
 * A record the kiosk pushes, as the kiosk stores it: with its `syncState`, derived from the
 * platform's fields by recordSyncState on every write (kiosk-database hooks, the replication's
 * modifiers) and indexed. Optional in the type because the hooks fill it in; required in the
 * schema because RxDB indexes only required fields. It never goes on the wire.
 */
export type KioskRecord<T> = Doc<T> & { syncState?: RecordSyncState };

const syncState = { type: 'string', enum: [...RECORD_SYNC_STATES], maxLength: 8 } as const;

const id = { type: 'string', maxLength: 64 } as const;
const text = { type: 'string' } as const;
const serverSeq = { type: 'integer', minimum: 0 } as const;

export const attendanceSchema: RxJsonSchema<KioskRecord<AttendanceRecord>> = {
  title: 'attendance record',
  version: 3,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    classSessionId: id,
    learnerId: id,
    siteId: id,
    kioskId: id,
    method: { type: 'string', enum: ['camera', 'scanner', 'manual'] },
    cardSerial: { type: 'integer', minimum: 0 },
    onRoster: { type: 'boolean' },
    deviceTime: text,
    lateReason: { type: 'string', enum: [...LATE_CHECK_IN_REASONS] },
    receivedAt: text,
    review: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['held', 'approved', 'refused'] }, reasons: { type: 'array', items: text } },
      required: ['status', 'reasons'],
    },
    refusal: { type: 'object', properties: { reason: text, message: text }, required: ['reason', 'message'] },
    serverSeq,
    syncState,
  },
  required: ['id', 'classSessionId', 'learnerId', 'siteId', 'kioskId', 'method', 'onRoster', 'deviceTime', 'syncState'],
  indexes: ['classSessionId', 'learnerId', 'syncState'],
};

// The platform's answers to a pushed session may carry `refusal` (ClassSessionAnswer), kept as sent.
export const classSessionSchema: RxJsonSchema<Doc<ClassSessionAnswer>> = {
  title: 'class session',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    siteId: id,
    title: text,
    courseId: id,
    teacher: text,
    startsAt: { type: 'string', maxLength: 40 },
    endsAt: text,
    status: { type: 'string', enum: ['planned', 'open', 'closed'] },
    statusVersion: { type: 'integer', minimum: 0 },
    checkInOpensAt: text,
    roster: { type: 'array', items: { type: 'string' } },
    proposedBy: id,
    approval: { type: 'string', enum: ['proposed', 'approved', 'refused'] },
    refusal: { type: 'object', properties: { reason: text, message: text }, required: ['reason', 'message'] },
    serverSeq,
  },
  required: ['id', 'siteId', 'title', 'teacher', 'startsAt', 'endsAt', 'status', 'statusVersion', 'checkInOpensAt', 'roster'],
  indexes: ['startsAt'],
};

export const creditLedgerSchema: RxJsonSchema<Doc<CreditLedgerEntry>> = {
  title: 'credit ledger entry',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    learnerId: id,
    sourceType: { type: 'string', enum: ['attendance', 'lesson', 'course'] },
    sourceId: id,
    hours: { type: 'number', minimum: 0 },
    credits: { type: 'number', minimum: 0 },
    status: { type: 'string', enum: ['provisional', 'confirmed'] },
    earnedOn: text,
    createdAt: text,
    serverSeq,
  },
  required: ['id', 'learnerId', 'sourceType', 'sourceId', 'hours', 'credits', 'status', 'earnedOn', 'createdAt'],
  indexes: ['learnerId'],
};

export const issuerKeySchema: RxJsonSchema<Doc<IssuerKey>> = {
  title: 'issuer key',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id, publicKey: text, status: { type: 'string', enum: ['active', 'verify-only', 'retired'] }, createdAt: text, serverSeq },
  required: ['id', 'publicKey', 'status', 'createdAt'],
};

export const cardRevocationSchema: RxJsonSchema<Doc<CardRevocation>> = {
  title: 'card revocation',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id, learnerId: id, revokedAt: text, serverSeq },
  required: ['id', 'learnerId', 'revokedAt'],
};

export const courseSchema: RxJsonSchema<Doc<CourseRecord>> = {
  title: 'course',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id, version: { type: 'integer', minimum: 1 }, manifest: { type: 'object' }, serverSeq },
  required: ['id', 'version', 'manifest'],
};

export const lessonProgressSchema: RxJsonSchema<KioskRecord<LessonProgress>> = {
  title: 'lesson progress',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    learnerId: id,
    courseId: id,
    lessonId: id,
    siteId: id,
    kioskId: id,
    positionSeconds: { type: 'number', minimum: 0 },
    durationSeconds: { type: 'number', minimum: 0 },
    completed: { type: 'boolean' },
    completedAt: text,
    deviceTime: text,
    receivedAt: text,
    review: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['held', 'approved', 'refused'] }, reasons: { type: 'array', items: text } },
      required: ['status', 'reasons'],
    },
    refusal: { type: 'object', properties: { reason: text, message: text }, required: ['reason', 'message'] },
    serverSeq,
    syncState,
  },
  required: ['id', 'learnerId', 'courseId', 'lessonId', 'siteId', 'kioskId', 'positionSeconds', 'durationSeconds', 'completed', 'deviceTime', 'syncState'],
  indexes: ['learnerId', 'syncState'],
};

export const siteLearnerSchema: RxJsonSchema<Doc<SiteLearner>> = {
  title: 'site learner',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    displayName: text,
    card: {
      type: 'object',
      properties: { serial: { type: 'integer', minimum: 0 }, text, expiresAt: text },
      required: ['serial', 'text', 'expiresAt'],
    },
    serverSeq,
  },
  required: ['id', 'displayName'],
};
