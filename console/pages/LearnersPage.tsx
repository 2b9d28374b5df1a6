import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleLearner, LearnersImportResult } from '../../sync/protocol/console-api';
import { api } from '../api';
import { Field, Notice, Problem, SitePicker, TableBox, useConsole, useLoad } from '../shared';

function ImportForm({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<LearnersImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<File | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    try {
      setResult(await api<LearnersImportResult>('POST', '/learners/import', { csv: await file.text() }));
      onImported();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)}>
      <h2>{t('learners.import')}</h2>
      <Field label={t('learners.csvFile')} hint={t('learners.csvHint')}>
        {(id) => <input id={id} type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <button type="submit">{t('learners.importButton')}</button>
      <Problem error={error} />
      {result ? (
        <div role="status">
          <p>{t('learners.imported', { count: result.imported })}</p>
          {result.errors.length > 0 ? (
            <>
              <p className="problem">{t('learners.rowErrors', { count: result.errors.length })}</p>
              <ul className="row-errors">
                {result.errors.map((e) => (
                  <li key={`${e.line}-${e.message}`}>{t('learners.rowError', { line: e.line, message: e.message })}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

/** A site's learners: search by name, number or pinyin initials; cards; CSV import; card sheets. */
export function LearnersPage() {
  const { t } = useTranslation();
  const { sites } = useConsole();
  const [siteId, setSiteId] = useState('');
  const [query, setQuery] = useState('');
  const [outcome, setOutcome] = useState<{ error: unknown; done: string }>({ error: null, done: '' });
  const site = siteId || sites[0]?.id || '';
  const { data, error, reload } = useLoad(
    () => (site ? api<ConsoleLearner[]>('GET', `/sites/${encodeURIComponent(site)}/learners?q=${encodeURIComponent(query)}`) : Promise.resolve([])),
    [site, query],
  );

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setOutcome({ error: null, done });
    } catch (caught) {
      setOutcome({ error: caught, done: '' });
    }
    reload();
  };

  return (
    <>
      <h1>{t('learners.title')}</h1>
      <div className="toolbar">
        <SitePicker value={site} onChange={setSiteId} />
        <Field label={t('learners.search')} hint={t('learners.searchHint')}>
          {(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
        </Field>
      </div>
      <div className="actions">
        <button type="button" onClick={() => void act(() => api('POST', `/sites/${encodeURIComponent(site)}/cards`), t('learners.cardsIssued'))}>
          {t('learners.issueAll')}
        </button>
        <a className="button secondary" href={`/console/api/sites/${encodeURIComponent(site)}/cards.html`} target="_blank" rel="noreferrer">
          {t('learners.printSheet')}
        </a>
      </div>
      <Problem error={outcome.error ?? error} />
      {outcome.done ? <Notice>{outcome.done}</Notice> : null}
      {data && data.length === 0 ? <p>{t('learners.none')}</p> : null}
      {data && data.length > 0 ? (
        <TableBox label={t('learners.title')}>
          <thead>
            <tr>
              <th scope="col">{t('learners.number')}</th>
              <th scope="col">{t('learners.name')}</th>
              <th scope="col">{t('learners.card')}</th>
              <th scope="col">{t('learners.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((learner) => (
              <tr key={learner.id}>
                <td>{learner.id}</td>
                <th scope="row">{learner.displayName}</th>
                <td>{learner.card ? t('learners.cardSerial', { serial: learner.card.serial, until: learner.card.expiresAt.slice(0, 10) }) : t('learners.noCard')}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="small"
                    onClick={() => void act(() => api('POST', `/learners/${encodeURIComponent(learner.id)}/cards`), t('learners.cardIssued', { name: learner.displayName }))}
                  >
                    {t('learners.issueCard')}
                    <span className="visually-hidden"> {learner.displayName}</span>
                  </button>
                  {learner.card ? (
                    <button
                      type="button"
                      className="small secondary"
                      onClick={() =>
                        window.confirm(t('learners.revokeConfirm', { serial: learner.card?.serial, name: learner.displayName })) &&
                        void act(() => api('POST', `/cards/${learner.card?.serial}/revoke`), t('learners.cardRevoked', { serial: learner.card?.serial }))
                      }
                    >
                      {t('learners.revokeCard')}
                      <span className="visually-hidden"> {learner.displayName}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </TableBox>
      ) : null}
      <ImportForm onImported={reload} />
    </>
  );
}
