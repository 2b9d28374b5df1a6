import { BehaviorSubject, Subject, distinctUntilChanged, type Observable } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxCollection, RxReplicationPullStreamItem } from 'rxdb';
import { MAX_PULL_LIMIT, MAX_PUSH_ROWS, replicatedCollections, type ReplicatedCollection, type ReplicationCheckpoint } from '../protocol/replication';
import { recordSyncState } from '../protocol/sync-outcome';
import { firstPull, type PulledPage } from './first-pull';

export interface KioskReplicationOptions {
  /** Where the kiosk host relays /sync/* to the platform; '' for the page's own origin. */
  baseUrl: string;
  /** How often to ask the platform for news while nothing else triggers a pull. */
  pullIntervalMs: number;
  /** Wait before retrying after the platform was unreachable. */
  retryMs: number;
  /**
   * False: nothing is pulled or pushed until start(). The kiosk page starts replicating once its
   * home is on screen and the record journal is reconciled, so the first sync does not compete
   * with the start-up. Default true.
   */
  autoStart?: boolean;
  /** Rows a pull asks for; default and most MAX_PULL_LIMIT (tests of paging ask for fewer). */
  pullPageSize?: number;
  fetch?: typeof fetch;
}

export interface KioskReplication {
  states: RxReplicationState<unknown, ReplicationCheckpoint>[];
  /** Whether the last exchange with the platform got through. */
  online$: Observable<boolean>;
  /** When an exchange with the platform last succeeded; null until one has. */
  lastSuccessAt$: Observable<Date | null>;
  /** What went wrong in the last failed exchange, cleared by the next success. */
  lastError$: Observable<SyncProblem | null>;
  /**
   * True while the credit ledger's first pull is under way (a new kiosk, or one whose first pull
   * was cut short): My credits then says the figures are still arriving. False otherwise, also
   * before replication starts.
   */
  ledgerArriving$: Observable<boolean>;
  /** Starts replicating, when made with autoStart false; does nothing once started. */
  start(): Promise<void>;
  /** Pull and push now (staff "sync now", or the network came back). */
  syncNow(): void;
  stop(): Promise<void>;
}

/**
 * Sync failures in the few kinds staff can act on: the network or platform is unreachable, the
 * platform refuses this kiosk's credential (re-enrol), or the platform failed otherwise.
 */
export type SyncProblem = 'unreachable' | 'not-authorised' | 'platform-error';

function problemOf(status: number): SyncProblem | null {
  if (status >= 502 && status <= 504) return 'unreachable';
  if (status === 401 || status === 403) return 'not-authorised';
  return status >= 400 ? 'platform-error' : null;
}

class SyncHttpError extends Error {}

/*
 * A kiosk record's syncState is the kiosk's own index of the platform's answer: stamped on what
 * the platform sends (pulls, and its answers to pushes, which RxDB writes without the pull
 * modifier), stripped from what the kiosk pushes. The replication's stored master states are
 * kiosk-side documents, so they carry it too and compare equal to the stored records.
 */
type PlatformDoc = { _deleted: boolean } & Record<string, unknown>;
const withSyncState = (doc: PlatformDoc): PlatformDoc => ({ ...doc, syncState: recordSyncState(doc as Parameters<typeof recordSyncState>[0]) });
function withoutSyncState(doc: PlatformDoc): PlatformDoc {
  const wire = { ...doc };
  delete wire.syncState;
  return wire;
}

async function expectJson(response: Response, what: string): Promise<unknown> {
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = ((await response.json()) as { message?: string }).message ?? message;
    } catch {
      // a proxy error page, not JSON
    }
    throw new SyncHttpError(`${what}: HTTP ${response.status} ${message}`);
  }
  return response.json();
}

/**
 * The collection a new kiosk can do without for a while: check-in needs the learners, issuer keys
 * and revocations, Learn the courses, and only My credits reads the ledger, which at a big site
 * is most of the rows (50,000 of 71,000 in `npm run bench -- initial-pull`).
 */
const ARRIVES_LAST: ReplicatedCollection = 'credit_ledger';

/**
 * RxDB replication of every collection through the kiosk host. Local writes push at once; pulls
 * run at start, on a timer and on syncNow(). Failures retry on their own: nothing is lost while
 * the platform is away, it just waits in IndexedDB.
 *
 * The ledger's first pull waits until every other collection has finished its first round: the
 * renderer's thread stores what the kiosk needs to check learners in and play courses first,
 * undisturbed, and the ledger follows, with ledgerArriving$ telling My credits so.
 */
export function startKioskReplication(
  collections: Record<ReplicatedCollection, RxCollection>,
  options: KioskReplicationOptions,
): KioskReplication {
  const baseFetch = options.fetch ?? fetch.bind(globalThis);
  const autoStart = options.autoStart ?? true;
  const online$ = new BehaviorSubject(true);
  const lastSuccessAt$ = new BehaviorSubject<Date | null>(null);
  const lastError$ = new BehaviorSubject<SyncProblem | null>(null);
  const ledgerArriving$ = new BehaviorSubject(false);
  // The kiosk host answers 502/503/504 when it cannot reach the platform.
  const doFetch: typeof fetch = async (input, init) => {
    try {
      const response = await baseFetch(input, init);
      const problem = problemOf(response.status);
      online$.next(problem !== 'unreachable');
      if (problem) {
        lastError$.next(problem);
      } else {
        lastSuccessAt$.next(new Date());
        lastError$.next(null);
      }
      return response;
    } catch (error) {
      online$.next(false);
      lastError$.next('unreachable');
      throw error;
    }
  };
  /**
   * A check-in into a class this kiosk made offline must reach the platform after the class, or
   * the platform would refuse it as 'unknown-session' for good. Collections replicate
   * independently, so the attendance push carries any proposal the platform has not answered yet
   * ahead of itself (pushing a session twice is harmless: the second is a replay).
   */
  async function pushProposalsFirst(rows: { newDocumentState: { classSessionId: string } }[]): Promise<void> {
    const ids = [...new Set(rows.map((r) => r.newDocumentState.classSessionId))];
    const sessions = await collections.class_sessions.findByIds(ids).exec();
    const unanswered = [...sessions.values()]
      .map((d) => d.toJSON() as { proposedBy?: string; serverSeq?: number; refusal?: unknown })
      .filter((s) => s.proposedBy !== undefined && s.serverSeq === undefined && s.refusal === undefined);
    if (unanswered.length === 0) return;
    const response = await doFetch(`${options.baseUrl}/sync/class_sessions/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(unanswered.map((s) => ({ newDocumentState: { ...s, _deleted: false }, assumedMasterState: null }))),
    });
    await expectJson(response, 'push class_sessions');
  }
  const resync$ = new Subject<RxReplicationPullStreamItem<unknown, ReplicationCheckpoint>>();
  const states = (Object.keys(replicatedCollections) as ReplicatedCollection[]).map((name) => {
    const { push } = replicatedCollections[name];
    const carriesSyncState = 'syncState' in (collections[name].schema.jsonSchema.properties as object);
    const toKiosk = carriesSyncState ? withSyncState : (doc: PlatformDoc) => doc;
    return replicateRxCollection<unknown, ReplicationCheckpoint>({
      replicationIdentifier: `yuexue-platform-${name}`,
      collection: collections[name],
      live: true,
      autoStart,
      retryTime: options.retryMs,
      waitForLeadership: false,
      pull: {
        // The most a pull may ask for (PullQuery): a fresh kiosk at a big site needs few round
        // trips (npm run bench -- initial-pull).
        batchSize: Math.min(options.pullPageSize ?? MAX_PULL_LIMIT, MAX_PULL_LIMIT),
        stream$: resync$.asObservable(),
        modifier: toKiosk,
        async handler(checkpoint, batchSize) {
          const fetchPage = async (from: ReplicationCheckpoint | undefined): Promise<PulledPage> => {
            const query = new URLSearchParams({ limit: String(batchSize) });
            if (from) query.set('seq', String(from.seq));
            const body = (await expectJson(await doFetch(`${options.baseUrl}/sync/${name}/pull?${query}`), `pull ${name}`)) as {
              documents: PulledPage['documents'];
              checkpoint: ReplicationCheckpoint | null;
            };
            return { documents: body.documents, checkpoint: body.checkpoint ?? from ?? undefined };
          };
          if (name === ARRIVES_LAST && !checkpoint) {
            ledgerArriving$.next(true);
            await othersHeld();
          }
          // No checkpoint yet: this collection's first pull, which for what the kiosk only reads
          // stores whole pages at once (first-pull.ts).
          const page = !checkpoint && !push ? await firstPull(collections[name], fetchPage, batchSize) : await fetchPage(checkpoint);
          return page as { documents: never[]; checkpoint: ReplicationCheckpoint | undefined };
        },
      },
      ...(push
        ? {
            push: {
              // The platform's limit: a kiosk back from weeks offline catches up in a fifth of the
              // round trips (npm run bench -- catch-up: 10,000 records 3.4 s → 2.6 s on PostgreSQL).
              batchSize: MAX_PUSH_ROWS,
              modifier: carriesSyncState ? withoutSyncState : undefined,
              async handler(rows) {
                if (name === 'attendance') await pushProposalsFirst(rows as unknown as { newDocumentState: { classSessionId: string } }[]);
                const response = await doFetch(`${options.baseUrl}/sync/${name}/push`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify(rows),
                });
                return ((await expectJson(response, `push ${name}`)) as PlatformDoc[]).map(toKiosk) as never[];
              },
            },
          }
        : {}),
    });
  });
  const lastState = states[Object.keys(replicatedCollections).indexOf(ARRIVES_LAST)];
  // Resolves once, when every collection but the last to arrive has been in sync with the platform.
  let othersInSync: Promise<void> | null = null;
  function othersHeld(): Promise<void> {
    othersInSync ??= Promise.all(states.filter((s) => s !== lastState).map((s) => s.awaitInitialReplication())).then(() => undefined);
    return othersInSync;
  }
  // A checkpoint exists only once RxDB stored the first pull's last page, so a restart mid-way says "arriving" again.
  void lastState?.awaitInitialReplication().then(() => ledgerArriving$.next(false));
  let timer: ReturnType<typeof setInterval> | undefined;
  let started: Promise<void> | null = null;
  const start = () => {
    started ??= (async () => {
      timer = setInterval(() => resync$.next('RESYNC'), options.pullIntervalMs);
      if (!autoStart) await Promise.all(states.map((s) => s.start()));
    })();
    return started;
  };
  if (autoStart) void start();
  return {
    states,
    online$: online$.asObservable(),
    lastSuccessAt$: lastSuccessAt$.asObservable(),
    lastError$: lastError$.asObservable(),
    ledgerArriving$: ledgerArriving$.pipe(distinctUntilChanged()),
    start,
    syncNow() {
      resync$.next('RESYNC');
      for (const state of states) state.reSync();
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(states.map((s) => s.cancel()));
    },
  };
}
