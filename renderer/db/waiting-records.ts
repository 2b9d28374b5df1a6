import { map, type Observable } from 'rxjs';
import type { KioskDatabase } from './kiosk-database';

/**
 * Records the platform has not acknowledged yet: it stamps receivedAt when it stores one, and
 * the kiosk sees that stamp when it pulls the record back. (RxDB's $exists on a field the index
 * does not cover did not match here, so the filter runs on the documents.)
 */
export function waitingRecords$(db: KioskDatabase): Observable<number> {
  return db.attendance.find().$.pipe(map((docs) => docs.filter((d) => !d.receivedAt).length));
}
