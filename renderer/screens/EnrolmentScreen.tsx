import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { CameraPreview } from '../components/CameraPreview';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { QrImage } from '../components/QrImage';
import { useScanner } from '../checkin/use-scanner';
import { enrolWithCode, fetchEnrolmentProgress, isEnrolmentCodeText, requestNewCode, type CodeProblem } from '../enrolment/enrolment-api';
import type { EnrolmentProgress } from '../../sync/protocol/kiosk-host-api';

/** How often the screen asks the kiosk host how enrolment is going. */
const POLL_MS = 2000;
/** How long "Enrolled to site X" shows before the kiosk opens its normal screens. */
const ENROLLED_MS = 3000;

const PROBLEM_TEXT: Record<CodeProblem | 'not-a-code', string> = {
  unknown: 'enrol.codeUnknown',
  used: 'enrol.codeUsed',
  expired: 'enrol.codeExpired',
  offline: 'enrol.codeOffline',
  failed: 'enrol.codeFailed',
  'not-a-code': 'enrol.notAnEnrolmentCode',
};

function statusText(progress: EnrolmentProgress | null): string {
  switch (progress?.status) {
    case 'waiting':
      return 'enrol.statusWaiting';
    case 'offline':
      return 'enrol.statusOffline';
    case 'expired':
      return progress.userCode ? 'enrol.statusExpired' : 'enrol.statusRenewing';
    case 'refused':
      return 'enrol.statusRefused';
    default:
      return 'enrol.statusStarting';
  }
}

/**
 * Shown instead of the kiosk's screens until it is enrolled: its own enrolment QR and code for the
 * platform admin to approve, and the other way in, a platform enrolment code held to the camera,
 * scanned or typed. Once enrolled it says to which site, then `onEnrolled` opens the kiosk.
 */
export function EnrolmentScreen({ onEnrolled }: { onEnrolled: () => void }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<EnrolmentProgress | null>(null);
  const [typedCode, setTypedCode] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<CodeProblem | 'not-a-code' | null>(null);
  const busy = useRef(false);
  const enrolledSite = progress?.status === 'enrolled' ? progress.siteId : null;

  useEffect(() => {
    if (enrolledSite) return;
    let cancelled = false;
    const update = async () => {
      const answer = await fetchEnrolmentProgress();
      if (answer && !cancelled) setProgress(answer);
    };
    void update();
    const timer = setInterval(() => void update(), POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [enrolledSite]);

  const approveUrl = progress?.approveUrl ?? null;

  useEffect(() => {
    if (!enrolledSite) return;
    const timer = setTimeout(onEnrolled, ENROLLED_MS);
    return () => clearTimeout(timer);
  }, [enrolledSite, onEnrolled]);

  const submit = useCallback(async (code: string) => {
    if (busy.current) return;
    busy.current = true;
    setSubmitting(true);
    setProblem(null);
    const outcome = await enrolWithCode(code);
    busy.current = false;
    setSubmitting(false);
    if (outcome.kind === 'problem') return setProblem(outcome.problem);
    setProgress((previous) => ({ status: 'enrolled', siteId: outcome.siteId, userCode: null, approveUrl: null, expiresAt: null, problem: null, waitingRecords: previous?.waitingRecords ?? 0 }));
  }, []);

  const onScan = useCallback((text: string) => (isEnrolmentCodeText(text) ? void submit(text) : setProblem('not-a-code')), [submit]);
  useScanner(onScan);

  const onSubmitTyped = (event: FormEvent) => {
    event.preventDefault();
    if (typedCode.trim()) void submit(typedCode);
  };

  if (enrolledSite) {
    return (
      <ScreenFrame title={t('enrol.title')}>
        <section className="confirmation success" role="status" data-testid="enrolled">
          <p className="confirmation-icon" aria-hidden="true">✓</p>
          <h2>{t('enrol.enrolled', { site: enrolledSite })}</h2>
          <p>{t('enrol.opening')}</p>
        </section>
      </ScreenFrame>
    );
  }

  const userCode = progress?.userCode ?? null;
  return (
    <ScreenFrame title={t('enrol.title')}>
      <p className="lead">{t('enrol.lead')}</p>
      {/* A re-enrolment with records the platform has not confirmed: they are not lost, and say so before staff go on. */}
      {progress && progress.waitingRecords > 0 && (
        <p className="problem-text" role="alert" data-testid="enrol-waiting-records" data-count={progress.waitingRecords}>
          {t('enrol.waitingRecords', { count: progress.waitingRecords })}
        </p>
      )}
      <div className="enrolment">
        <section className="enrol-approval" aria-labelledby="enrol-approval-heading">
          <h2 id="enrol-approval-heading">{t('enrol.approvalHeading')}</h2>
          <div className="enrol-code-row">
            <figure className="enrol-qr">
              {userCode && approveUrl ? (
                <QrImage text={approveUrl} alt={t('enrol.qrAlt')} testId="enrol-qr" />
              ) : (
                <div className="enrol-qr-placeholder" aria-hidden="true" />
              )}
              <figcaption>
                <span className="enrol-code-label">{t('enrol.codeLabel')}</span>
                {userCode ? (
                  <span className="user-code" data-testid="user-code">
                    {userCode}
                  </span>
                ) : (
                  <span className="lead">{t('enrol.noCodeYet')}</span>
                )}
                {userCode && approveUrl && <span className="approve-url">{approveUrl}</span>}
              </figcaption>
            </figure>
            <ol className="enrol-steps">
              <li>{t('enrol.step1')}</li>
              <li>{t('enrol.step2')}</li>
              <li>{t('enrol.step3')}</li>
            </ol>
          </div>
          <p className="enrol-status" role="status" data-testid="enrol-status" data-status={progress?.status ?? 'starting'}>
            {t(statusText(progress))}
          </p>
          {progress?.status === 'refused' && (
            <button type="button" className="button" onClick={() => void requestNewCode()}>
              {t('enrol.newCode')}
            </button>
          )}
        </section>
        <section className="enrol-by-code" aria-labelledby="enrol-by-code-heading">
          <h2 id="enrol-by-code-heading">{t('enrol.orHeading')}</h2>
          <p>{t('enrol.orHint')}</p>
          <CameraPreview onScan={onScan} caption={t('enrol.cameraHint')} />
          <form className="enrol-code-form" onSubmit={onSubmitTyped}>
            <label>
              {t('enrol.codeInput')}
              <input value={typedCode} onChange={(event) => setTypedCode(event.target.value)} autoComplete="off" spellCheck={false} maxLength={200} />
            </label>
            <button type="submit" className="button" disabled={submitting || !typedCode.trim()}>
              {submitting ? t('enrol.submitting') : t('enrol.submitCode')}
            </button>
          </form>
          {problem && (
            <p className="problem-text" role="alert" data-testid="enrol-problem" data-problem={problem}>
              {t(PROBLEM_TEXT[problem])}
            </p>
          )}
        </section>
      </div>
      <LanguageSwitch />
    </ScreenFrame>
  );
}
