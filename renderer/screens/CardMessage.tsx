import { useTranslation } from 'react-i18next';
import type { CheckInResult } from '../checkin/check-in';
import { useSiteTime } from '../i18n/site-time';
import type { NotACard } from '../checkin/scan-kind';

/** What a scan on the check-in screen comes to: a check-in's result, or some other code held up. */
export type ScanResult = CheckInResult | { kind: 'rejected'; reason: NotACard };

type Rejection = Extract<ScanResult, { kind: 'rejected' }>;

/** A rejection in words; a window rejection says when check-in opens, in the site's time. */
export function useRejectionText(): (result: Rejection) => string {
  const { t } = useTranslation();
  const time = useSiteTime().format({ dateStyle: 'medium', timeStyle: 'short' });
  return (result) => ('opensAt' in result ? t(`card.${result.reason}`, { opensAt: time.format(new Date(result.opensAt)) }) : t(`card.${result.reason}`));
}

/** The full-screen answer to a scan: big, kind, and never colour alone (an icon and words too). */
export function CardMessage({ result, onNext }: { result: ScanResult; onNext: () => void }) {
  const { t } = useTranslation();
  const rejectionText = useRejectionText();
  if (result.kind === 'rejected') {
    return (
      <section className="confirmation problem" role="alert" data-testid="checkin-result" data-result="rejected" data-reason={result.reason}>
        <p className="confirmation-icon" aria-hidden="true">!</p>
        <h2>{rejectionText(result)}</h2>
        <p>{t('card.nothingRecorded')}</p>
        <button type="button" className="button" onClick={onNext}>{t('checkin.next')}</button>
      </section>
    );
  }
  const already = result.kind === 'already-checked-in';
  return (
    <section className="confirmation success" role="status" data-testid="checkin-result" data-result={result.kind}>
      <p className="confirmation-icon" aria-hidden="true">✓</p>
      <h2>{t(already ? 'checkin.already' : 'checkin.welcome', { name: result.displayName })}</h2>
      <p>{t(already ? 'checkin.alreadyDetail' : 'checkin.welcomeDetail')}</p>
      {result.kind === 'checked-in' && !result.onRoster && <p data-testid="not-on-roster">{t('checkin.notOnRoster')}</p>}
      <button type="button" className="button" onClick={onNext}>{t('checkin.next')}</button>
    </section>
  );
}
