import type { RxCollection } from 'rxdb';
import type { ReplicationCheckpoint } from '../protocol/replication';

/** One pull answer, as the platform sends it. */
export interface PulledPage {
  documents: ({ _deleted: boolean } & Record<string, unknown>)[];
  checkpoint: ReplicationCheckpoint | undefined;
}

/**
 * Where an interrupted first pull goes on from: the highest serverSeq the kiosk holds. Pages are
 * stored in checkpoint order, each in one IndexedDB transaction, so the kiosk holds every row up
 * to that number. Rows after it are asked for again; storing by id, nothing is held twice. Only an
 * interrupted first pull pays for this scan (serverSeq is not indexed).
 */
async function resumePoint(collection: RxCollection): Promise<ReplicationCheckpoint | undefined> {
  if ((await collection.count().exec()) === 0) return undefined;
  const newest = await collection.findOne({ selector: {}, sort: [{ serverSeq: 'desc' }] }).exec();
  const seq = (newest?.toJSON() as { serverSeq?: number } | undefined)?.serverSeq;
  return seq === undefined ? undefined : { seq };
}

/**
 * Stores a page with bulkInsert, which on a fresh collection is all it takes: bulkUpsert inserts
 * the same way but first fills each document in twice and makes an RxDocument of every row it
 * stored, which nobody here reads. A row the kiosk holds already (a first pull resumed after the
 * row changed on the platform) comes back as a conflict and is upserted on its own.
 */
async function storePage(collection: RxCollection, documents: PulledPage['documents']): Promise<void> {
  const rows = documents.map((doc) => {
    const row: Record<string, unknown> = { ...doc };
    delete row._deleted;
    return row;
  });
  const inserted = await collection.bulkInsert(rows);
  const held = new Set(inserted.error.filter((e) => e.status === 409).map((e) => e.documentId));
  const failed: { documentId: string; status: number }[] = inserted.error.filter((e) => e.status !== 409);
  if (held.size > 0) {
    const primary = collection.schema.primaryPath as string;
    const upserted = await collection.bulkUpsert(rows.filter((row) => held.has(row[primary] as string)));
    failed.push(...upserted.error);
  }
  const [first] = failed;
  if (first) throw new Error(`The first pull of ${collection.name} could not store ${failed.length} documents (document ${first.documentId}: ${first.status}).`);
}

/**
 * A kiosk's first pull of a collection it only reads (courses, learners, the ledger…), which at a
 * big site is tens of thousands of rows. RxDB's pull path reads each document from the collection
 * and from its replication state before writing it; into a collection nobody else writes, full
 * pages are stored with one bulkUpsert each instead, while the next page is already on its way.
 * The last page (short, holding a deletion, or followed by nothing) is handed back for RxDB to
 * store with its checkpoint, so RxDB's own checkpoint takes over from there: later pulls go on
 * from it as before. Runs when RxDB holds no checkpoint for the collection; if it is interrupted,
 * the next run goes on from what is stored (resumePoint). Only for collections the kiosk never
 * writes: RxDB's pull path is what keeps an unpushed local write from being overwritten.
 */
export async function firstPull(
  collection: RxCollection,
  fetchPage: (checkpoint: ReplicationCheckpoint | undefined) => Promise<PulledPage>,
  pageSize: number,
): Promise<PulledPage> {
  let page = await fetchPage(await resumePoint(collection));
  for (;;) {
    if (page.documents.length < pageSize || page.documents.some((doc) => doc._deleted)) return page;
    const next = fetchPage(page.checkpoint);
    // A failure of the next page is met below, after this one is stored.
    next.catch(() => undefined);
    await storePage(collection, page.documents);
    const following = await next;
    // Handed back although stored: RxDB finds it equal, writes nothing, and keeps its checkpoint.
    if (following.documents.length === 0) return page;
    page = following;
  }
}
