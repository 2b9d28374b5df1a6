import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { BundleRefused, bundleRecordCount } from '../../sync/protocol/record-bundle';
import type { UsbFolder, UsbRelayResult } from '../../sync/protocol/kiosk-usb-api';
import { applyReceipt, exportBundle, listUsbFolders, readReceipt, relayBundles, unacknowledgedRecords, type ReceiptOutcome } from '../staff/usb-records';

/** Where an action on the picked drive stands; each step is shown, so staff know when to pull the drive out. */
type Progress =
  | { step: 'idle' }
  | { step: 'collecting' }
  | { step: 'writing'; records: number }
  | { step: 'exported'; records: number; bundleSeq: number }
  | { step: 'reading-receipt' }
  | { step: 'receipt-loaded'; outcome: ReceiptOutcome }
  | { step: 'relaying' }
  | { step: 'relayed'; results: UsbRelayResult[] }
  | { step: 'failed'; what: 'export' | 'receipt' | 'relay'; detail: string };

function busy(progress: Progress): boolean {
  return ['collecting', 'writing', 'reading-receipt', 'relaying'].includes(progress.step);
}

/**
 * Records by USB: staff pick a drive (or the export folder) from a list, write every record the
 * platform has not acknowledged to it, and later load the platform's receipt back from it. An
 * online kiosk also carries other kiosks' bundles from a drive to the platform.
 */
export function StaffUsbScreen({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { db, config } = useKiosk();
  const [folders, setFolders] = useState<UsbFolder[] | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress>({ step: 'idle' });

  // Bumped to look for drives again; the list is read in the effect, and set when it comes.
  const [lookFor, setLookFor] = useState(0);
  const look = useCallback(() => {
    setFolders(null);
    setLookFor((n) => n + 1);
  }, []);

  useEffect(() => {
    let current = true;
    listUsbFolders().then(
      (found) => {
        if (!current) return;
        setFolders(found);
        setPicked((picked) => (found.some((f) => f.path === picked) ? picked : found.length === 1 ? (found[0]?.path ?? null) : null));
      },
      () => current && setFolders([]),
    );
    return () => {
      current = false;
    };
  }, [lookFor]);

  async function exportRecords(folder: string) {
    setProgress({ step: 'collecting' });
    try {
      const records = await unacknowledgedRecords(db, config.kioskId);
      setProgress({ step: 'writing', records: bundleRecordCount(records) });
      const written = await exportBundle(folder, records);
      setProgress({ step: 'exported', records: written.records, bundleSeq: written.bundleSeq });
    } catch (error) {
      setProgress({ step: 'failed', what: 'export', detail: (error as Error).message });
    }
    look();
  }

  async function loadReceipt(folder: string) {
    setProgress({ step: 'reading-receipt' });
    try {
      const { text } = await readReceipt(folder);
      setProgress({ step: 'receipt-loaded', outcome: await applyReceipt(db, text, config.kioskId) });
    } catch (error) {
      setProgress({ step: 'failed', what: 'receipt', detail: error instanceof BundleRefused ? t(`usb.refused-${error.code}`) : (error as Error).message });
    }
  }

  async function relay(folder: string) {
    setProgress({ step: 'relaying' });
    try {
      setProgress({ step: 'relayed', results: await relayBundles(folder) });
    } catch (error) {
      setProgress({ step: 'failed', what: 'relay', detail: (error as Error).message });
    }
    look();
  }

  const chosen = folders?.find((f) => f.path === picked) ?? null;
  return (
    <ScreenFrame title={t('usb.title')} onBack={onBack}>
      <p className="lead">{t('usb.intro')}</p>
      {folders === null && <p role="status">{t('usb.looking')}</p>}
      {folders?.length === 0 && <p className="problem-text" role="status">{t('usb.none')}</p>}
      {folders && folders.length > 0 && (
        <ul className="usb-folders" aria-label={t('usb.pick')}>
          {folders.map((folder) => (
            <li key={folder.path}>
              <button
                type="button"
                className={`button ${folder.path === picked ? '' : 'secondary'}`}
                aria-pressed={folder.path === picked}
                disabled={busy(progress)}
                onClick={() => setPicked(folder.path)}
                data-testid="usb-folder"
              >
                {t(folder.kind === 'drive' ? 'usb.drive' : 'usb.folder', { name: folder.name })}
              </button>
              <span className="hint">
                {[folder.hasBundle ? t('usb.hasBundle') : null, folder.hasReceipt ? t('usb.hasReceipt') : null, folder.otherBundles > 0 ? t('usb.otherBundles', { count: folder.otherBundles }) : null]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" className="button" disabled={!chosen || busy(progress)} onClick={() => chosen && void exportRecords(chosen.path)} data-testid="usb-export">
          {t('usb.export')}
        </button>
        <button type="button" className="button secondary" disabled={!chosen?.hasReceipt || busy(progress)} onClick={() => chosen && void loadReceipt(chosen.path)} data-testid="usb-receipt">
          {t('usb.loadReceipt')}
        </button>
        {chosen && chosen.otherBundles > 0 && (
          <button type="button" className="button secondary" disabled={busy(progress)} onClick={() => void relay(chosen.path)} data-testid="usb-relay">
            {t('usb.relay', { count: chosen.otherBundles })}
          </button>
        )}
        <button type="button" className="button secondary" disabled={busy(progress)} onClick={look}>
          {t('usb.lookAgain')}
        </button>
      </div>
      <UsbProgress progress={progress} />
    </ScreenFrame>
  );
}

function UsbProgress({ progress }: { progress: Progress }) {
  const { t } = useTranslation();
  switch (progress.step) {
    case 'idle':
      return null;
    case 'collecting':
      return <p role="status" data-testid="usb-progress">{t('usb.collecting')}</p>;
    case 'writing':
      return (
        <p role="status" data-testid="usb-progress">
          {t('usb.writing', { count: progress.records })}
        </p>
      );
    case 'exported':
      return (
        <p role="status" className="done-text" data-testid="usb-done">
          {t('usb.exported', { count: progress.records, number: progress.bundleSeq })}
        </p>
      );
    case 'reading-receipt':
      return <p role="status" data-testid="usb-progress">{t('usb.readingReceipt')}</p>;
    case 'receipt-loaded':
      return (
        <p role="status" className="done-text" data-testid="usb-receipt-loaded">
          {t('usb.receiptLoaded', progress.outcome)}
        </p>
      );
    case 'relaying':
      return <p role="status" data-testid="usb-progress">{t('usb.relaying')}</p>;
    case 'relayed':
      return (
        <ul role="status" data-testid="usb-relayed">
          {progress.results.map((r) => (
            <li key={r.file} className={r.outcome === 'imported' ? 'done-text' : 'problem-text'}>
              {t(`usb.relay-${r.outcome}`, { kiosk: r.kioskId, count: r.records ?? 0 })} {r.message ?? ''}
            </li>
          ))}
        </ul>
      );
    case 'failed':
      return (
        <div role="alert" className="problem-text" data-testid="usb-failed">
          <p>{t(`usb.failed-${progress.what}`)}</p>
          <p className="hint">{progress.detail}</p>
        </div>
      );
  }
}
