import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { Field, Notice, Problem, SitePicker, TableBox, today, useConsole, useLoad } from '../shared';

interface LedgerRow {
  sourceType: string;
  provisional: number;
  confirmed: number;
  hours: number;
}

/** The credit ledger of one site over a range of days: what is still provisional, and confirming it. */
export function LedgerPage() {
  const { t } = useTranslation();
  const { sites } = useConsole();
  const [siteId, setSiteId] = useState('');
  const [from, setFrom] = useState(today(-30));
  const [to, setTo] = useState(today());
  const site = siteId || sites[0]?.id || '';
  const range = `siteId=${encodeURIComponent(site)}&from=${from}&to=${to}`;
  const { data, error, reload } = useLoad(() => (site && from && to ? api<LedgerRow[]>('GET', `/ledger?${range}`) : Promise.resolve([])), [range]);
  const [outcome, setOutcome] = useState<{ error: unknown; done: string }>({ error: null, done: '' });
  const provisional = (data ?? []).reduce((sum, row) => sum + row.provisional, 0);

  const confirm = async () => {
    try {
      const answer = await api<{ confirmed: number }>('POST', '/ledger/confirm', { siteId: site, from, to });
      setOutcome({ error: null, done: t('ledger.confirmed', { count: answer.confirmed }) });
    } catch (caught) {
      setOutcome({ error: caught, done: '' });
    }
    reload();
  };

  return (
    <>
      <h1>{t('ledger.title')}</h1>
      <p>{t('ledger.intro')}</p>
      <div className="toolbar">
        <SitePicker value={site} onChange={setSiteId} />
        <Field label={t('common.from')}>{(id) => <input id={id} type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
        <Field label={t('common.to')}>{(id) => <input id={id} type="date" required value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
      </div>
      <Problem error={error ?? outcome.error} />
      {outcome.done ? <Notice>{outcome.done}</Notice> : null}
      {data && data.length === 0 ? <p>{t('ledger.none')}</p> : null}
      {data && data.length > 0 ? (
        <TableBox label={t('ledger.title')}>
          <thead>
            <tr>
              <th scope="col">{t('ledger.source')}</th>
              <th scope="col">{t('ledger.provisional')}</th>
              <th scope="col">{t('ledger.confirmedCount')}</th>
              <th scope="col">{t('ledger.hours')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.sourceType}>
                <th scope="row">{t(`ledger.sources.${row.sourceType}`, { defaultValue: row.sourceType })}</th>
                <td>{row.provisional}</td>
                <td>{row.confirmed}</td>
                <td>{row.hours}</td>
              </tr>
            ))}
          </tbody>
        </TableBox>
      ) : null}
      <button type="button" disabled={provisional === 0} onClick={() => void confirm()}>
        {t('ledger.confirm', { count: provisional })}
      </button>
    </>
  );
}
