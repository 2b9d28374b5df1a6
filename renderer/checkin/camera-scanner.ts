import { prepareZXingModule } from 'zxing-wasm/reader';
// Bundled with the renderer: zxing-wasm would otherwise fetch its .wasm from a CDN, and kiosks are offline.
import zxingReaderWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { readerOptionsForFrame, readQrText } from './qr-reader';
import { RepeatFilter } from './repeat-filter';

/** Pause between decodes; the kiosk's small CPU also runs the UI and sync. */
const FRAME_INTERVAL_MS = 120;
/** Frames are scaled down to at most this width before decoding: a card fills much of the view. */
const MAX_FRAME_WIDTH = 800;
/** How long a card must be out of view before the camera reports it again. */
const REPEAT_QUIET_MS = 5000;

export interface CameraScanner {
  stop(): void;
}

prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? zxingReaderWasmUrl : prefix + path),
  },
});

async function openCamera(): Promise<MediaStream | null> {
  if (!navigator.mediaDevices?.getUserMedia) return null;
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch {
    // No camera, or it is busy or blocked: the kiosk still has its USB scanner.
    return null;
  }
}

/**
 * Shows the camera in `video` and reads QR codes from its frames. Resolves to null when there is
 * no usable camera, so the caller can quietly rely on the scanner alone.
 */
export async function startCameraScanner(video: HTMLVideoElement, onScan: (text: string) => void): Promise<CameraScanner | null> {
  const stream = await openCamera();
  if (!stream) return null;
  const repeats = new RepeatFilter(REPEAT_QUIET_MS);
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let frameNumber = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  try {
    await video.play();
  } catch {
    stream.getTracks().forEach((track) => track.stop());
    return null;
  }

  async function scanFrame() {
    if (stopped || !context) return;
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      // A frame the decoder chokes on is a frame without a card; the next one is moments away.
      const text = await readQrText(frame, readerOptionsForFrame(frameNumber++)).catch(() => null);
      if (text && !stopped && repeats.accept(text, performance.now())) onScan(text);
    }
    if (!stopped) timer = setTimeout(() => void scanFrame(), FRAME_INTERVAL_MS);
  }
  void scanFrame();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
    },
  };
}
