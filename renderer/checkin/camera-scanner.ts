import { RepeatFilter } from './repeat-filter';
import type { CameraFrames, CodeRead } from './qr-worker';

/** Pause between decodes where frames are handed over one at a time. */
const FRAME_INTERVAL_MS = 120;
/** How long a card must be out of view before the camera reports it again. */
const REPEAT_QUIET_MS = 5000;

export interface CameraScanner {
  stop(): void;
}

// Chromium's Insertable Streams for video, on the page as well as in workers; not in TypeScript's DOM types.
declare const MediaStreamTrackProcessor: (new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> }) | undefined;

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
 * Shows the camera in `video` and reads codes from its frames in a worker (qr-worker.ts). Where
 * the browser can stream the frames to the worker (Chromium, Electron), the page's thread runs no
 * code per frame at all; elsewhere it hands over one ImageBitmap at a time. Either way, taps and
 * scanner keys never wait for a decode. Resolves to null when there is no usable camera, so the
 * caller can quietly rely on the scanner alone.
 */
export async function startCameraScanner(video: HTMLVideoElement, onScan: (text: string) => void): Promise<CameraScanner | null> {
  const stream = await openCamera();
  const track = stream?.getVideoTracks()[0];
  if (!stream || !track) return null;
  const repeats = new RepeatFilter(REPEAT_QUIET_MS);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  try {
    await video.play();
  } catch {
    stream.getTracks().forEach((t) => t.stop());
    return null;
  }

  const worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module' });
  const sendFrame = async () => {
    if (stopped) return;
    const frame = video.videoWidth > 0 ? await createImageBitmap(video).catch(() => null) : null;
    if (frame && !stopped) worker.postMessage({ frame } satisfies CameraFrames, [frame]);
    else timer = setTimeout(() => void sendFrame(), FRAME_INTERVAL_MS);
  };
  worker.onmessage = (event: MessageEvent<CodeRead | 'next'>) => {
    if (event.data === 'next') {
      timer = setTimeout(() => void sendFrame(), FRAME_INTERVAL_MS);
      return;
    }
    const { text } = event.data;
    if (!stopped && repeats.accept(text, performance.now())) onScan(text);
  };
  // A clone, so the worker's reading does not hold back the preview on screen.
  const decoderTrack = typeof MediaStreamTrackProcessor === 'function' ? track.clone() : null;
  if (decoderTrack && typeof MediaStreamTrackProcessor === 'function') {
    const { readable } = new MediaStreamTrackProcessor({ track: decoderTrack });
    worker.postMessage({ frames: readable } satisfies CameraFrames, [readable]);
  } else {
    void sendFrame();
  }

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      worker.terminate();
      stream.getTracks().forEach((t) => t.stop());
      decoderTrack?.stop();
      video.srcObject = null;
    },
  };
}
