import { addRxPlugin, createRxDatabase, DEFAULT_UNEXECUTED_LIFETIME, defaultCacheReplacementPolicyMonad, type RxCollection, type RxCollectionCreator, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { ClassSessionAnswer } from '../../sync/protocol/class-session';
import type { CreditLedgerEntry } from '../../sync/protocol/credit-ledger-entry';
import type { CardRevocation, IssuerKey } from '../../sync/protocol/issuer-key';
import type { CourseRecord } from '../../sync/protocol/course-record';
import type { LessonProgress } from '../../sync/protocol/lesson-progress';
import type { SiteLearner } from '../../sync/protocol/site-learner';
import { recordSyncState } from '../../sync/protocol/sync-outcome';
import {
  attendanceSchema,
  cardRevocationSchema,
  classSessionSchema,
  courseSchema,
  creditLedgerSchema,
  issuerKeySchema,
  lessonProgressSchema,
  siteLearnerSchema,
  type KioskRecord,
} from './schemas';
import { classSessionConflictHandler, lessonProgressConflictHandler } from './conflict-handlers';

addRxPlugin(RxDBMigrationSchemaPlugin);

type Local<T> = Omit<T, '_deleted'>;

/** Version 1: sessions carry the platform's status version and check-in window start. */
function sessionV1(doc: Record<string, unknown>): Record<string, unknown> {
  const startsAt = Date.parse(String(doc.startsAt));
  return { ...doc, statusVersion: 0, checkInOpensAt: new Date(startsAt - 30 * 60_000).toISOString() };
}

/** Pushed records carry their indexed syncState (attendance version 3, lesson progress version 2). */
function withSyncState(doc: Record<string, unknown>): Record<string, unknown> {
  return { ...doc, syncState: recordSyncState(doc) };
}

export interface KioskCollections {
  attendance: RxCollection<KioskRecord<AttendanceRecord>>;
  class_sessions: RxCollection<Local<ClassSessionAnswer>>;
  credit_ledger: RxCollection<Local<CreditLedgerEntry>>;
  issuer_keys: RxCollection<Local<IssuerKey>>;
  card_revocations: RxCollection<Local<CardRevocation>>;
  courses: RxCollection<Local<CourseRecord>>;
  lesson_progress: RxCollection<KioskRecord<LessonProgress>>;
  learners: RxCollection<Local<SiteLearner>>;
}
export type KioskDatabase = RxDatabase<KioskCollections>;

/** The kiosk's collections: each schema is versioned; a schema change adds a migration strategy here. */
const collections = {
  // Version 1 added the platform's review and refusal fields, version 2 a late check-in's reason
  // (all optional), version 3 the indexed syncState.
  attendance: { schema: attendanceSchema, migrationStrategies: { 1: (doc) => doc, 2: (doc) => doc, 3: withSyncState } },
  // Version 2 added a kiosk-proposed session's proposer, approval and refusal, all optional (absent: the platform's own).
  class_sessions: {
    schema: classSessionSchema,
    migrationStrategies: { 1: sessionV1, 2: (doc) => doc },
    conflictHandler: classSessionConflictHandler,
  },
  credit_ledger: { schema: creditLedgerSchema },
  issuer_keys: { schema: issuerKeySchema },
  card_revocations: { schema: cardRevocationSchema },
  courses: { schema: courseSchema },
  lesson_progress: {
    schema: lessonProgressSchema,
    migrationStrategies: { 1: (doc) => doc, 2: withSyncState },
    conflictHandler: lessonProgressConflictHandler,
  },
  learners: { schema: siteLearnerSchema },
} satisfies { [name in keyof KioskCollections]: RxCollectionCreator };

/**
 * How many finished queries each collection keeps for reuse (RxDB's default is 100). A kiosk runs
 * for months without a reload and asks mostly one-off questions (a record by its id, one
 * learner's credits), so with the default each collection kept filling for weeks, with the
 * documents those results hold: memory that looked like a leak in the soak bench. Queries a
 * screen is subscribed to are never dropped, whatever this number.
 */
export const QUERIES_KEPT_PER_COLLECTION = 20;
const keepRecentQueries = defaultCacheReplacementPolicyMonad(QUERIES_KEPT_PER_COLLECTION, DEFAULT_UNEXECUTED_LIFETIME);

export interface OpenKioskDatabaseOptions {
  /**
   * Awaited between one collection and the next: the kiosk page lets a tap through there, so
   * opening the database is a row of short tasks rather than one long one (after-first-paint.ts).
   */
  betweenCollections?: () => Promise<void>;
}

/**
 * The kiosk's own store. Storage is injected: Dexie on the browser's IndexedDB in the kiosk,
 * Dexie on fake-indexeddb in Node tests.
 */
export async function openKioskDatabase(name: string, storage: RxStorage<unknown, unknown>, { betweenCollections }: OpenKioskDatabaseOptions = {}): Promise<KioskDatabase> {
  const db = await createRxDatabase<KioskCollections>({ name, storage, multiInstance: false, closeDuplicates: true });
  // One at a time: together they are one long stretch of work on the page's only thread.
  for (const [collection, creator] of Object.entries(collections)) {
    await betweenCollections?.();
    await db.addCollections({ [collection]: { ...creator, cacheReplacementPolicy: keepRecentQueries } });
  }
  // Local writes (check-ins, lesson positions, the journal's restores) get their syncState here;
  // what the platform sends gets it in the replication's pull modifier (sync/kiosk).
  const stamp = (doc: KioskRecord<{ receivedAt?: string }>) => void (doc.syncState = recordSyncState(doc));
  for (const records of [db.attendance, db.lesson_progress]) {
    records.preInsert(stamp, false);
    records.preSave(stamp, false);
  }
  return db;
}
