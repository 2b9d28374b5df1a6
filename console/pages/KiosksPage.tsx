import { useTranslation } from 'react-i18next';
import type { ConsoleKiosk } from '../../sync/protocol/console-api';
import { api } from '../api';
import { formatDateTime, Problem, TableBox, useConsole, useLoad } from '../shared';

function gigabytes(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** The kiosks of one site, or of all the operator's sites, each with its health in words. */
export function KioskTable({ siteId }: { siteId?: string }) {
  const { t, i18n } = useTranslation();
  const { sites } = useConsole();
  const { data, error } = useLoad(() => api<ConsoleKiosk[]>('GET', `/kiosks${siteId ? `?siteId=${encodeURIComponent(siteId)}` : ''}`), [siteId]);
  if (error) return <Problem error={error} />;
  if (!data) return <p>{t('common.loading')}</p>;
  if (data.length === 0) return <p>{t('kiosks.none')}</p>;
  return (
    <TableBox label={t('kiosks.title')}>
      <thead>
        <tr>
          <th scope="col">{t('kiosks.name')}</th>
          {siteId ? null : <th scope="col">{t('common.site')}</th>}
          <th scope="col">{t('kiosks.status')}</th>
          <th scope="col">{t('kiosks.lastSeen')}</th>
          <th scope="col">{t('kiosks.waiting')}</th>
          <th scope="col">{t('kiosks.diskFree')}</th>
          <th scope="col">{t('kiosks.version')}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((kiosk) => {
          const beat = kiosk.heartbeat;
          const healthy = kiosk.health.every((h) => h.status === 'healthy');
          return (
            <tr key={kiosk.id}>
              <th scope="row">
                {kiosk.name}
                <br />
                <small>{kiosk.id}</small>
              </th>
              {siteId ? null : <td>{sites.find((s) => s.id === kiosk.siteId)?.name ?? kiosk.siteId}</td>}
              <td>
                <ul className={healthy ? 'health ok' : 'health bad'}>
                  {kiosk.health.map((h) => (
                    <li key={h.status}>{t(`health.${h.status}`, { count: h.days ?? 0 })}</li>
                  ))}
                </ul>
              </td>
              <td>{formatDateTime(kiosk.lastSeenAt, i18n.language)}</td>
              <td>{beat ? t('kiosks.waitingCounts', { waiting: beat.recordsWaiting, setAside: beat.recordsSetAside }) : '—'}</td>
              <td>{gigabytes(beat?.diskFreeBytes)}</td>
              <td>{beat?.appVersion ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </TableBox>
  );
}

export function KiosksPage() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('kiosks.title')}</h1>
      <KioskTable />
    </>
  );
}
