import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleEnrolmentRequest } from '../../sync/protocol/console-api';
import { api } from '../api';
import { formatDateTime, Notice, Problem, SitePicker, useConsole, useLoad } from '../shared';

/** Kiosks asking to be enrolled: approve one to a site (from a phone, after scanning its QR) or refuse it. */
export function EnrolmentPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const { sites } = useConsole();
  const { data, error, reload } = useLoad(() => api<ConsoleEnrolmentRequest[]>('GET', '/enrolment-requests'), []);
  const [siteId, setSiteId] = useState('');
  const [outcome, setOutcome] = useState<{ error: unknown; done: string }>({ error: null, done: '' });
  const chosenSite = siteId || sites[0]?.id || '';
  const wanted = code.toUpperCase();

  const answer = async (request: ConsoleEnrolmentRequest, action: 'approve' | 'refuse') => {
    try {
      if (action === 'approve') await api('POST', '/enrolment-requests/approve', { userCode: request.userCode, siteId: chosenSite });
      else await api('POST', '/enrolment-requests/refuse', { userCode: request.userCode });
      setOutcome({ error: null, done: t(action === 'approve' ? 'enrolment.approved' : 'enrolment.refused', { name: request.kioskName, site: chosenSite }) });
    } catch (caught) {
      setOutcome({ error: caught, done: '' });
    }
    reload();
  };

  const requests = [...(data ?? [])].sort((a, b) => Number(b.userCode === wanted) - Number(a.userCode === wanted));
  return (
    <>
      <h1>{t('enrolment.title')}</h1>
      <p>{t('enrolment.intro')}</p>
      <SitePicker value={chosenSite} onChange={setSiteId} />
      <Problem error={outcome.error ?? error} />
      {outcome.done ? <Notice>{outcome.done}</Notice> : null}
      {data && requests.length === 0 ? <p>{t('enrolment.none')}</p> : null}
      {wanted && data && !requests.some((r) => r.userCode === wanted) ? <p role="alert">{t('enrolment.codeNotWaiting', { code: wanted })}</p> : null}
      <ul className="cards">
        {requests.map((request) => (
          <li key={request.userCode} className={request.userCode === wanted ? 'card wanted' : 'card'}>
            <h2>{request.kioskName}</h2>
            <p className="code">{request.userCode}</p>
            <p>{t('enrolment.expires', { when: formatDateTime(request.expiresAt, i18n.language) })}</p>
            <div className="actions">
              <button type="button" onClick={() => void answer(request, 'approve')} disabled={!chosenSite}>
                {t('enrolment.approve', { site: chosenSite })}
              </button>
              <button type="button" className="secondary" onClick={() => void answer(request, 'refuse')}>
                {t('enrolment.refuse')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
