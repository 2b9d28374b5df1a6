import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { Field, Notice, Problem, useConsole } from '../shared';
import { KioskTable } from './KiosksPage';

function NewSiteForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api('POST', '/sites', { id: id.trim(), name: name.trim() });
      setDone(t('sites.created', { id }));
      setId('');
      setName('');
      onCreated();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="card">
      <h2>{t('sites.add')}</h2>
      <Field label={t('sites.id')} hint={t('sites.idHint')}>
        {(fieldId) => <input id={fieldId} required pattern="[A-Za-z0-9_\-]+" value={id} onChange={(e) => setId(e.target.value)} />}
      </Field>
      <Field label={t('sites.name')}>{(fieldId) => <input id={fieldId} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <Problem error={error} />
      {done ? <Notice>{done}</Notice> : null}
      <button type="submit">{t('sites.add')}</button>
    </form>
  );
}

/** The operator's sites; one site's page shows its kiosks. */
export function SitesPage({ siteId, onSitesChanged }: { siteId: string; onSitesChanged: () => void }) {
  const { t } = useTranslation();
  const { sites, operator } = useConsole();
  const site = sites.find((s) => s.id === siteId);
  if (site) {
    return (
      <>
        <p>
          <a href="#/sites">← {t('sites.title')}</a>
        </p>
        <h1>{site.name}</h1>
        <p>{site.id}</p>
        <h2>{t('kiosks.title')}</h2>
        <KioskTable siteId={site.id} />
      </>
    );
  }
  return (
    <>
      <h1>{t('sites.title')}</h1>
      {sites.length === 0 ? <p>{t('sites.none')}</p> : null}
      <ul className="site-list">
        {sites.map((s) => (
          <li key={s.id}>
            <a href={`#/sites/${encodeURIComponent(s.id)}`}>
              {s.name} <small>({s.id})</small>
            </a>
          </li>
        ))}
      </ul>
      {operator.role === 'province-admin' ? <NewSiteForm onCreated={onSitesChanged} /> : null}
    </>
  );
}
