import { useKiosk } from '../kiosk-context';
import { useNow } from '../use-now';
import { useObservable } from '../use-observable';
import { offlineStanding, type OfflineStanding } from './offline-duration';

/** The last contact with the platform, and how staff should read the time since (offline-duration.ts). */
export function usePlatformContact(): { lastContact: Date | null; standing: OfflineStanding } {
  const { replication, config } = useKiosk();
  const live = useObservable(() => replication.lastSuccessAt$, null, [replication]);
  const now = useNow(60_000);
  // A contact made while this page runs is newer than the one the host kept at start, whatever the clock says.
  const lastContact = live ?? (config.lastPlatformContactAt ? new Date(config.lastPlatformContactAt) : null);
  return { lastContact, standing: offlineStanding(lastContact, now, config.offlineWarningDays) };
}
