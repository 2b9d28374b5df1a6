import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleSession, ConsoleSite } from '../sync/protocol/console-api';
import { api, currentSession, setCsrfToken } from './api';
import { LANGUAGES } from './i18n/i18n';
import { EnrolmentPage } from './pages/EnrolmentPage';
import { KiosksPage } from './pages/KiosksPage';
import { LearnersPage } from './pages/LearnersPage';
import { LedgerPage } from './pages/LedgerPage';
import { ReviewPage } from './pages/ReviewPage';
import { SignInPage } from './pages/SignInPage';
import { SitesPage } from './pages/SitesPage';
import { TimetablePage } from './pages/TimetablePage';
import { ConsoleContext, Problem } from './shared';

// Charts are most of the console's code and only the reports page draws them: load it when opened.
const ReportsPage = lazy(() => import('./pages/ReportsPage').then((module) => ({ default: module.ReportsPage })));

const PAGES = ['sites', 'kiosks', 'enrolment', 'learners', 'timetable', 'review', 'ledger', 'reports'] as const;
type PageName = (typeof PAGES)[number];

/** "#/learners" → learners; "#/sites/GZ-1" → sites with argument GZ-1; "#/enrolment?code=…" keeps its query. */
function readHash(): { page: PageName; arg: string; query: URLSearchParams } {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  return { page: PAGES.includes(page as PageName) ? (page as PageName) : 'sites', arg: decodeURIComponent(rest.join('/')), query: new URLSearchParams(query) };
}

function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language">
      <label htmlFor="language">{t('nav.language')}</label>
      <select id="language" value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function App() {
  const { t } = useTranslation();
  const [session, setSession] = useState<ConsoleSession | null | undefined>(undefined);
  const [sites, setSites] = useState<ConsoleSite[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [route, setRoute] = useState(readHash);

  useEffect(() => {
    const onHash = () => setRoute(readHash());
    window.addEventListener('hashchange', onHash);
    currentSession().then(setSession, setError);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (session) api<ConsoleSite[]>('GET', '/sites').then(setSites, setError);
  }, [session]);

  useEffect(() => {
    document.title = `${t(`nav.${route.page}`)} · ${t('app.title')}`;
  }, [route.page, t]);

  if (session === undefined) {
    return <main className="loading">{error ? <Problem error={error} /> : <p>{t('common.loading')}</p>}</main>;
  }
  if (session === null) {
    return (
      <>
        <header className="top">
          <p className="brand">{t('app.title')}</p>
          <LanguagePicker />
        </header>
        <SignInPage onSignedIn={setSession} />
      </>
    );
  }

  const signOut = async () => {
    await api('POST', '/sign-out');
    setCsrfToken((await api<{ csrfToken: string }>('GET', '/csrf')).csrfToken);
    setSession(null);
  };

  return (
    <ConsoleContext.Provider value={{ operator: session.operator, sites }}>
      <header className="top">
        <p className="brand">{t('app.title')}</p>
        <p className="who">
          {session.operator.displayName} · {t(`roles.${session.operator.role}`)}
        </p>
        <LanguagePicker />
        <button type="button" className="secondary" onClick={() => void signOut()}>
          {t('nav.signOut')}
        </button>
      </header>
      <nav aria-label={t('nav.label')}>
        <ul>
          {PAGES.map((page) => (
            <li key={page}>
              <a href={`#/${page}`} aria-current={route.page === page ? 'page' : undefined}>
                {t(`nav.${page}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <Problem error={error} />
        {route.page === 'sites' ? <SitesPage siteId={route.arg} onSitesChanged={() => void api<ConsoleSite[]>('GET', '/sites').then(setSites)} /> : null}
        {route.page === 'kiosks' ? <KiosksPage /> : null}
        {route.page === 'enrolment' ? <EnrolmentPage code={route.query.get('code') ?? ''} /> : null}
        {route.page === 'learners' ? <LearnersPage /> : null}
        {route.page === 'timetable' ? <TimetablePage /> : null}
        {route.page === 'review' ? <ReviewPage /> : null}
        {route.page === 'ledger' ? <LedgerPage /> : null}
        {route.page === 'reports' ? (
          <Suspense fallback={<p>{t('common.loading')}</p>}>
            <ReportsPage />
          </Suspense>
        ) : null}
      </main>
    </ConsoleContext.Provider>
  );
}
