import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleSession } from '../../sync/protocol/console-api';
import { ConsoleApiError, signIn } from '../api';
import { Field, Problem } from '../shared';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: ConsoleSession) => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      onSignedIn(await signIn(login, password));
    } catch (caught) {
      setError(caught);
      if (caught instanceof ConsoleApiError && caught.code === 'wrong-password') setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <Field label={t('signIn.login')}>
          {(id) => <input id={id} name="login" autoComplete="username" required value={login} onChange={(e) => setLogin(e.target.value)} />}
        </Field>
        <Field label={t('signIn.password')}>
          {(id) => (
            <input id={id} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <Problem error={error} />
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
      <p className="hint">{t('signIn.firstAdmin')}</p>
    </main>
  );
}
