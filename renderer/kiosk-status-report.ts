import { BehaviorSubject, combineLatest, debounceTime, distinctUntilChanged, map } from 'rxjs';
import { KioskHostRoutes } from '../sync/protocol/kiosk-host-routes';
import type { RendererStatus } from '../sync/protocol/kiosk-heartbeat';
import type { KioskDatabase } from './db/kiosk-database';
import { setAsideRecords$, waitingSummary$ } from './db/waiting-records';

const devicesSeen$ = new BehaviorSubject({ camera: false, scanner: false });

/** A card read by the camera or the USB scanner proves the device works: the heartbeat says so. */
export function noteDeviceSeen(device: 'camera' | 'scanner'): void {
  const seen = devicesSeen$.value;
  if (!seen[device]) devicesSeen$.next({ ...seen, [device]: true });
}

/**
 * Tells the kiosk host what only the page knows (records waiting and set aside, devices seen), for
 * the heartbeat it adds to every sync (electron/host/kiosk-heartbeat.ts). Changes are sent at most
 * every few seconds; a failed send is simply retried with the next change.
 */
export function reportKioskStatus(db: KioskDatabase, debounceMs = 3000): () => void {
  const subscription = combineLatest([waitingSummary$(db), setAsideRecords$(db), devicesSeen$])
    .pipe(
      map(([waiting, setAside, seen]): RendererStatus => ({
        recordsWaiting: waiting.count,
        recordsSetAside: setAside.length,
        oldestWaitingAt: waiting.oldestDeviceTime,
        cameraSeen: seen.camera,
        scannerSeen: seen.scanner,
      })),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      debounceTime(debounceMs),
    )
    .subscribe((status) => {
      void fetch(KioskHostRoutes.status, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(status) }).catch(() => undefined);
    });
  return () => subscription.unsubscribe();
}
