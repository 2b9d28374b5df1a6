import { useTranslation } from 'react-i18next';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { waitingRecords$ } from '../db/waiting-records';

/** Online state and records not yet acknowledged by the platform; informative, never blocking. */
export function SyncIndicator() {
  const { t } = useTranslation();
  const { db, replication } = useKiosk();
  const waiting = useObservable(() => waitingRecords$(db), 0, [db]);
  const reachable = useObservable(() => replication.online$, true, [replication]);
  return (
    <div className="sync-indicator" role="status" aria-live="polite" data-testid="sync-indicator">
      <span className={reachable ? 'dot online' : 'dot offline'} aria-hidden="true" />
      <span>{reachable ? t('status.online') : t('status.offline')}</span>
      <span className="waiting" data-testid="waiting-count" data-count={waiting}>
        {waiting > 0 ? t('status.waiting', { count: waiting }) : t('status.allSynced')}
      </span>
    </div>
  );
}
