import { createContext, useContext, useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleSite, SignedInOperator } from '../sync/protocol/console-api';
import { ConsoleApiError } from './api';

export interface ConsoleContextValue {
  operator: SignedInOperator;
  sites: ConsoleSite[];
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}

/** Loads data for a page; reload() fetches again after a change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ data, error: null }),
      (error: unknown) => current && setState({ data: null, error }),
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on, as with useEffect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}

/** An API refusal in the operator's language, with the platform's own words as a fallback. */
export function Problem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const text =
    error instanceof ConsoleApiError
      ? t(`errors.${error.code}`, { defaultValue: error.message })
      : t('errors.internal');
  const detail = error instanceof ConsoleApiError && ['session-overlap', 'conflict', 'bad-request', 'not-found'].includes(error.code) ? error.message : null;
  return (
    <p role="alert" className="problem">
      {text}
      {detail ? <span className="detail"> ({detail})</span> : null}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}

/** The sites this operator may pick, as a labelled select. */
export function SitePicker({ value, onChange, allowAll = false }: { value: string; onChange: (siteId: string) => void; allowAll?: boolean }) {
  const { t } = useTranslation();
  const { sites } = useConsole();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('common.site')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {allowAll ? <option value="">{t('common.allSites')}</option> : null}
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.id})
          </option>
        ))}
      </select>
    </div>
  );
}

export function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint ? <small>{hint}</small> : null}
    </div>
  );
}

/** A table that scrolls sideways on a phone, reachable by keyboard. */
export function TableBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-box" role="region" aria-label={label} tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

/** Class times are the platform's (Guangdong, UTC+8, no daylight saving), wherever the browser is. */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';

export function formatDateTime(iso: string | null, language: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: PLATFORM_TIME_ZONE }).format(new Date(iso));
}

export function today(offsetDays = 0): string {
  const shifted = new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000);
  return shifted.toISOString().slice(0, 10);
}
