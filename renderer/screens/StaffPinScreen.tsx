import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { KioskHostRoutes, type StaffUnlocked, type StaffUnlockRefused } from '../../sync/protocol/kiosk-host-api';
import { beginStaffSession } from '../staff/staff-session';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

/**
 * A large on-screen keypad: staff never need a keyboard at the kiosk. `expired` says staff mode
 * ended because its token ran out, so staff know why they see the keypad again.
 */
export function StaffPinScreen({ onUnlocked, onHome, expired = false }: { onUnlocked: () => void; onHome: () => void; expired?: boolean }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(expired ? t('staff.sessionExpired') : null);

  async function submit() {
    const response = await fetch(KioskHostRoutes.staffUnlock, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin }),
    });
    setPin('');
    if (response.ok) {
      beginStaffSession(((await response.json()) as StaffUnlocked).token);
      return onUnlocked();
    }
    const body = (await response.json()) as Partial<StaffUnlockRefused>;
    setMessage(
      body.lockedForMs && body.lockedForMs > 0
        ? t('staff.pinLocked', { minutes: Math.ceil(body.lockedForMs / 60_000) })
        : t('staff.pinWrong', { count: body.attemptsLeft ?? 0 }),
    );
  }

  return (
    <ScreenFrame title={t('staff.pinTitle')} onHome={onHome}>
      <p className="lead">{t('staff.pinPrompt')}</p>
      <output className="pin-display" aria-live="polite" data-testid="pin-display">
        {'●'.repeat(pin.length) || '—'}
      </output>
      {message && <p role="alert" className="problem-text" data-testid="pin-message">{message}</p>}
      <div className="keypad">
        {DIGITS.map((d) => (
          <button key={d} type="button" className="button key" aria-label={t('staff.digit', { digit: d })} onClick={() => setPin((p) => (p + d).slice(0, 8))}>
            {d}
          </button>
        ))}
        <button type="button" className="button key secondary" onClick={() => setPin((p) => p.slice(0, -1))} aria-label={t('staff.delete')}>
          ⌫
        </button>
        <button type="button" className="button key" onClick={() => void submit()} disabled={pin.length < 4}>
          {t('staff.unlock')}
        </button>
      </div>
    </ScreenFrame>
  );
}
