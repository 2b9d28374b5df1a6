import type { FastifyPluginAsync } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type pg from 'pg';
import {
  PullQuery,
  pullResponse,
  pushBody,
  replicatedCollections,
  type ReplicatedCollection,
} from '../../protocol/replication';
import { syncWriteFor, type SyncWriteLocking } from '../database';
import { KioskPushQueue } from '../kiosk-push-queue';
import { KioskLastSeen } from '../kiosk-last-seen';
import { kioskAuthentication } from '../kiosk-auth';
import { recordKioskHeartbeat } from '../kiosk-heartbeats';
import { bundleKeyRegistration } from './record-bundles';
import { attendanceCollection } from '../collections/attendance';
import { classSessionCollection } from '../collections/class-sessions';
import { creditLedgerCollection } from '../collections/credit-ledger';
import { cardRevocationCollection, issuerKeyCollection } from '../collections/issuer-keys';
import { courseCollection } from '../collections/courses';
import { lessonProgressCollection } from '../collections/lesson-progress';
import { siteLearnerCollection } from '../collections/site-learners';
import type { PlatformCollection, PullPage, PushRow } from '../collections/platform-collection';

const platformCollections: Record<ReplicatedCollection, PlatformCollection<never>> = {
  attendance: attendanceCollection as PlatformCollection<never>,
  class_sessions: classSessionCollection as PlatformCollection<never>,
  credit_ledger: creditLedgerCollection as PlatformCollection<never>,
  issuer_keys: issuerKeyCollection as PlatformCollection<never>,
  card_revocations: cardRevocationCollection as PlatformCollection<never>,
  courses: courseCollection as PlatformCollection<never>,
  lesson_progress: lessonProgressCollection as PlatformCollection<never>,
  learners: siteLearnerCollection as PlatformCollection<never>,
};

const DEFAULT_PULL_LIMIT = 200;
/** 500 rows of the largest document fit well inside this; anything bigger is not a kiosk. */
export const PUSH_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A checkpoint above every number the platform ever handed out (a database restored from a
 * backup, a kiosk moved between platforms): rows numbered since would sort below it and never
 * be served. Such a pull is served from the start instead; kiosks store pulled rows by id, so
 * re-pulling loses nothing and adds nothing twice.
 */
async function isFromTheFuture(pool: pg.Pool, seq: number): Promise<boolean> {
  const { rows } = await pool.query<{ last: string }>(`select case when is_called then last_value else 0 end as last from sync_seq`);
  return seq > Number(rows[0]?.last ?? 0);
}

export interface ReplicationOptions {
  locking?: SyncWriteLocking;
}

/** RxDB's HTTP replication for every collection, each route scoped to the calling kiosk. */
export function replicationRoutes(pool: pg.Pool, options: ReplicationOptions = {}): FastifyPluginAsync {
  const syncWrite = syncWriteFor(options.locking ?? 'scoped');
  // One push per kiosk at a time: a kiosk flooding batches holds one connection, not the pool.
  const pushQueue = new KioskPushQueue();
  const lastSeen = new KioskLastSeen(pool);
  return async (app) => {
    app.addHook('preHandler', kioskAuthentication(pool));
    app.addHook('preHandler', recordKioskHeartbeat(pool));
    app.addHook('preHandler', bundleKeyRegistration(pool));
    app.addHook('onRequest', async (request) => {
      request.log.debug({ url: request.url }, 'sync request');
    });
    for (const name of Object.keys(replicatedCollections) as ReplicatedCollection[]) {
      const spec = replicatedCollections[name];
      const { document, push } = spec;
      const answer = 'answer' in spec ? spec.answer : document;
      const collection = platformCollections[name];
      app.get<{ Querystring: { seq?: number; limit?: number } }>(
        `/sync/${name}/pull`,
        { schema: { querystring: PullQuery, response: { 200: pullResponse(document as TSchema) } } },
        async (request) => {
          let afterSeq = request.query.seq ?? 0;
          const limit = request.query.limit ?? DEFAULT_PULL_LIMIT;
          let result = await collection.pull(pool, request.kiosk, afterSeq, limit);
          const empty = Array.isArray(result) ? result.length === 0 : result.lastSeq === null;
          if (empty && afterSeq > 0 && (await isFromTheFuture(pool, afterSeq))) {
            request.log.warn(
              { collection: name, kiosk: request.kiosk.id, checkpoint: afterSeq },
              'pull checkpoint is ahead of every sequence number the platform has issued (restored database?): serving this collection again from the start',
            );
            afterSeq = 0;
            result = await collection.pull(pool, request.kiosk, afterSeq, limit);
          }
          const page: PullPage<{ serverSeq?: number }> = Array.isArray(result)
            ? { documents: result, lastSeq: (result as { serverSeq?: number }[]).at(-1)?.serverSeq ?? null }
            : result;
          for (const skipped of page.skipped ?? []) request.log.warn({ collection: name, id: skipped.id }, skipped.problem);
          const seq = page.lastSeq ?? (afterSeq > 0 ? afterSeq : null);
          return { documents: page.documents, checkpoint: seq === null ? null : { seq } };
        },
      );
      if (!push || !collection.push) continue;
      const pushHandler = collection.push;
      app.post<{ Body: PushRow<never>[] }>(
        `/sync/${name}/push`,
        {
          bodyLimit: PUSH_BODY_LIMIT_BYTES,
          schema: { body: pushBody(document as TSchema), response: { 200: Type.Array(answer as TSchema) } },
        },
        async (request) => {
          const answers = await pushQueue.run(request.kiosk.id, () => syncWrite(pool, (client) => pushHandler(client, request.kiosk, request.body)));
          await lastSeen.record(request.kiosk.id);
          return answers;
        },
      );
    }
  };
}
