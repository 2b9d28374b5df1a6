import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { startCameraScanner, type CameraScanner } from '../checkin/camera-scanner';

/**
 * The camera's view, so a learner can see their card in it, feeding each QR code read to onScan;
 * the caption says what to hold up (a learner card unless told otherwise).
 * With no camera it renders nothing: the USB scanner still works and seniors see no error.
 */
export function CameraPreview({ onScan, caption }: { onScan: (text: string) => void; caption?: string }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const handler = useRef(onScan);
  const [camera, setCamera] = useState<'starting' | 'running' | 'unavailable'>('starting');

  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let scanner: CameraScanner | null = null;
    let unmounted = false;
    void startCameraScanner(element, (text) => handler.current(text)).then((started) => {
      if (unmounted) return started?.stop();
      scanner = started;
      setCamera(started ? 'running' : 'unavailable');
    });
    return () => {
      unmounted = true;
      scanner?.stop();
    };
  }, []);

  return (
    <figure className="camera-preview" hidden={camera !== 'running'} data-testid="camera-preview" data-camera={camera}>
      <video ref={video} muted playsInline aria-hidden="true" />
      <figcaption>{caption ?? t('camera.hint')}</figcaption>
    </figure>
  );
}
