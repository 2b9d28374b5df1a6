/**
 * `npm run bench -- waiting-count [--records 100000] [--waiting 10]`: the waiting-records
 * indicator's query on a kiosk database holding a long history (Dexie on fake-indexeddb, as the
 * unit tests run it). Prints {"bench":"waiting-count","records":N,"waiting":N,
 * "waiting_count_ms":x,"set_aside_ms":x}: medians of 20 runs of the indexed queries (every
 * 100th record is held, so the set-aside list reads 1% of the history). Target: under 50 ms.
 */
import { parseArgs } from 'node:util';
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openKioskDatabase } from '../renderer/db/kiosk-database';
import { recordsIn, waitingCount } from '../renderer/db/waiting-records';
import { storeKioskHistory } from '../test/support/kiosk-history';

const RUNS = 20;

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { records: { type: 'string', default: '100000' }, waiting: { type: 'string', default: '10' } } });
  const records = Number(values.records);
  const waiting = Number(values.waiting);
  const db = await openKioskDatabase(`bench-waiting-${Date.now()}`, getRxStorageDexie({ indexedDB, IDBKeyRange }));
  try {
    await storeKioskHistory(db, { received: records - waiting, waiting });
    // Straight to the storage: RxDB would answer a repeated query from its cache, but the
    // indicator's first read after each write is what costs.
    const { attendance, lesson_progress } = waitingCount(db);
    const waiting_count_ms = await medianMs(async () => {
      const counts = await Promise.all([
        db.attendance.storageInstance.count(attendance.getPreparedQuery()),
        db.lesson_progress.storageInstance.count(lesson_progress.getPreparedQuery()),
      ]);
      const found = counts[0].count + counts[1].count;
      if (found !== waiting) throw new Error(`counted ${found} waiting, stored ${waiting}`);
    });
    const set_aside_ms = await medianMs(() =>
      Promise.all(
        (['held', 'refused'] as const).flatMap((state) => {
          const queries = recordsIn(db, state);
          return [db.attendance.storageInstance.query(queries.attendance.getPreparedQuery()), db.lesson_progress.storageInstance.query(queries.lesson_progress.getPreparedQuery())];
        }),
      ),
    );
    console.log(JSON.stringify({ bench: 'waiting-count', records, waiting, waiting_count_ms, set_aside_ms }));
  } finally {
    await db.close();
  }
}
