import { combineLatest, map, type Observable } from 'rxjs';
import type { KioskDatabase } from './kiosk-database';

/**
 * Records the platform has not acknowledged yet: check-ins, and lesson progress (it earns
 * credit too). The platform stamps receivedAt when it stores one and the kiosk sees the stamp
 * when it pulls the record back; a local write replaces the whole document, so a newer position
 * waits again until the platform has it. (RxDB's $exists on a field the index does not cover
 * did not match here, so the filter runs on the documents.)
 */
export function waitingRecords$(db: KioskDatabase): Observable<number> {
  const waiting = (docs: { receivedAt?: string }[]) => docs.filter((d) => !d.receivedAt).length;
  return combineLatest([db.attendance.find().$.pipe(map(waiting)), db.lesson_progress.find().$.pipe(map(waiting))]).pipe(
    map(([attendance, progress]) => attendance + progress),
  );
}
