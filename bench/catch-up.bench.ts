/**
 * `npm run bench -- catch-up [--records 10000] [--storage memory|fake-indexeddb]`: a kiosk that
 * gathered check-ins offline comes back. The kiosk's own database and replication (in Node, on
 * RxDB's memory storage or fake-indexeddb: test/support/node-kiosk.ts) push them through
 * the real kiosk host's relay to a platform on PGlite, or on PostgreSQL when DATABASE_URL is set
 * (a scratch database, dropped afterwards). Prints {"bench":"catch-up","records":N,
 * "catch_up_ms":x,"records_per_s":x,"push_requests_ms":x,...} timed from the replication's start
 * until no record waits; push_requests_ms is the part spent in push requests (relay, platform),
 * the rest is the kiosk's replication and database storing the answers. Target: 10,000 records in 5 s or less.
 */
import { parseArgs } from 'node:util';
import { firstValueFrom, filter } from 'rxjs';
import { DEMO_KIOSK_ID } from '../sync/platform/demo-seed';
import { waitingRecords$ } from '../renderer/db/waiting-records';
import { startTestPlatform } from '../test/support/platform';
import { startTestKioskHost } from '../test/support/kiosk';
import { openNodeKiosk, type NodeKioskStorage } from '../test/support/node-kiosk';
import { seedOfflineCheckIns } from './offline-check-ins';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { records: { type: 'string', default: '10000' }, storage: { type: 'string', default: 'memory' } } });
  const records = Number(values.records);
  const storage = values.storage as NodeKioskStorage;
  if (storage !== 'memory' && storage !== 'fake-indexeddb') throw new Error('--storage is memory or fake-indexeddb');
  const platform = await startTestPlatform();
  const pool = platform.database.pool;
  const { kioskCredential, checkIns } = await seedOfflineCheckIns(pool, records, 'offline class');
  const host = await startTestKioskHost(platform.url, kioskCredential);
  const kiosk = await openNodeKiosk('bench-catch-up', storage);
  try {
    await kiosk.db.attendance.bulkInsert(checkIns);
    const started = performance.now();
    // Time spent inside push requests (relay, platform re-checks and writes, answer on the wire),
    // apart from what the kiosk's own database takes to store the answers.
    let pushRequestsMs = 0;
    let pushRequests = 0;
    const replication = kiosk.sync(host.url, async (input, init) => {
      const t0 = performance.now();
      const response = await fetch(input, init);
      if (init?.method === 'POST') {
        await response.clone().arrayBuffer();
        pushRequestsMs += performance.now() - t0;
        pushRequests++;
      }
      return response;
    });
    await firstValueFrom(waitingRecords$(kiosk.db).pipe(filter((waiting) => waiting === 0)));
    const catch_up_ms = Math.round(performance.now() - started);
    await replication.stop();
    const { rows } = await pool.query<{ stored: string; held: string }>(
      `select count(*) as stored, count(*) filter (where review_status = 'held') as held from attendance where kiosk_id = $1`,
      [DEMO_KIOSK_ID],
    );
    console.log(
      JSON.stringify({
        bench: 'catch-up',
        database: platform.databaseUrl ? 'postgresql' : 'pglite',
        kiosk_storage: storage,
        records,
        catch_up_ms,
        records_per_s: Math.round((records / catch_up_ms) * 1000),
        push_requests: pushRequests,
        push_requests_ms: Math.round(pushRequestsMs),
        stored_on_platform: Number(rows[0]!.stored),
        held_on_platform: Number(rows[0]!.held),
      }),
    );
  } finally {
    await kiosk.close();
    await host.close();
    await platform.close();
  }
}
