import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { formatDateTime, Notice, Problem, SitePicker, TableBox, useConsole, useLoad } from '../shared';

interface HeldRecordJson {
  type: 'attendance' | 'lesson';
  id: string;
  siteId: string;
  learnerId: string;
  subject: string;
  deviceTime: string;
  reasons: string[];
}

/** Records the platform holds for review, with their reasons: approve or refuse, one by one or all ticked. */
export function ReviewPage() {
  const { t, i18n } = useTranslation();
  const { sites } = useConsole();
  const [siteId, setSiteId] = useState('');
  const site = siteId || sites[0]?.id || '';
  const { data, error, reload } = useLoad(
    () => (site ? api<HeldRecordJson[]>('GET', `/review-queue?siteId=${encodeURIComponent(site)}`) : Promise.resolve([])),
    [site],
  );
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<{ error: unknown; done: string }>({ error: null, done: '' });

  const decide = async (decision: 'approve' | 'refuse', records: HeldRecordJson[]) => {
    try {
      const answer = await api<{ decided: number }>('POST', `/review-queue/decide?siteId=${encodeURIComponent(site)}`, {
        decision,
        records: records.map((r) => ({ type: r.type, id: r.id })),
      });
      setOutcome({ error: null, done: t(decision === 'approve' ? 'review.approved' : 'review.refused', { count: answer.decided }) });
      setTicked(new Set());
    } catch (caught) {
      setOutcome({ error: caught, done: '' });
    }
    reload();
  };

  const tickedRecords = (data ?? []).filter((r) => ticked.has(r.id));
  return (
    <>
      <h1>{t('review.title')}</h1>
      <p>{t('review.intro')}</p>
      <SitePicker value={site} onChange={setSiteId} />
      <Problem error={error} />
      <Problem error={outcome.error} />
      {outcome.done ? <Notice>{outcome.done}</Notice> : null}
      {data && data.length === 0 ? <p>{t('review.none')}</p> : null}
      {data && data.length > 0 ? (
        <>
          <div className="actions">
            <button type="button" disabled={tickedRecords.length === 0} onClick={() => void decide('approve', tickedRecords)}>
              {t('review.approveTicked', { count: tickedRecords.length })}
            </button>
            <button type="button" className="secondary" disabled={tickedRecords.length === 0} onClick={() => void decide('refuse', tickedRecords)}>
              {t('review.refuseTicked', { count: tickedRecords.length })}
            </button>
          </div>
          <TableBox label={t('review.title')}>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t('review.tickAll')}
                    checked={ticked.size === data.length}
                    onChange={(e) => setTicked(new Set(e.target.checked ? data.map((r) => r.id) : []))}
                  />
                </th>
                <th scope="col">{t('review.record')}</th>
                <th scope="col">{t('review.reasons')}</th>
                <th scope="col">{t('learners.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((record) => (
                <tr key={record.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('review.tick', { learner: record.learnerId, subject: record.subject })}
                      checked={ticked.has(record.id)}
                      onChange={(e) => {
                        const next = new Set(ticked);
                        if (e.target.checked) next.add(record.id);
                        else next.delete(record.id);
                        setTicked(next);
                      }}
                    />
                  </td>
                  <th scope="row">
                    {t(`review.types.${record.type}`)} · {record.learnerId} · {record.subject}
                    <br />
                    <small>{formatDateTime(record.deviceTime, i18n.language)}</small>
                  </th>
                  <td>
                    <ul>
                      {record.reasons.map((reason) => (
                        <li key={reason}>{t(`review.reason.${reason}`, { defaultValue: reason })}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="small" onClick={() => void decide('approve', [record])}>
                      {t('review.approve')}
                      <span className="visually-hidden"> {record.learnerId}</span>
                    </button>
                    <button type="button" className="small secondary" onClick={() => void decide('refuse', [record])}>
                      {t('review.refuse')}
                      <span className="visually-hidden"> {record.learnerId}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </TableBox>
        </>
      ) : null}
    </>
  );
}
