/// <reference lib="webworker" />
// Decodes camera frames off the page's thread: on the main thread one decode blocked taps and
// key events for 55-93 ms, long enough to split a USB scanner's burst arriving at that moment.
import { prepareZXingModule } from 'zxing-wasm/reader';
// Bundled with the renderer: zxing-wasm would otherwise fetch its .wasm from a CDN, and kiosks are offline.
import zxingReaderWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { CAMERA_READER_OPTIONS, readerOptionsForFrame, readQrText } from './qr-reader';

/**
 * The camera's frames as a stream (from a MediaStreamTrackProcessor, so the page's thread runs
 * no code per frame), or one frame at a time where the browser has no such processor.
 */
export type CameraFrames = { frames: ReadableStream<VideoFrame> } | { frame: ImageBitmap };
export interface CodeRead {
  text: string;
}

/** Pause between decodes; the kiosk's small CPU also runs the UI and sync. */
const FRAME_INTERVAL_MS = 120;
/** Frames are scaled down to at most this width before decoding: a card fills much of the view. */
const MAX_FRAME_WIDTH = 800;

declare const self: DedicatedWorkerGlobalScope;

prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? zxingReaderWasmUrl : prefix + path),
  },
});

const canvas = new OffscreenCanvas(1, 1);
const context = canvas.getContext('2d', { willReadFrequently: true });
let frameNumber = 0;

async function decode(frame: VideoFrame | ImageBitmap, width: number, height: number): Promise<void> {
  if (!context) return;
  const scale = Math.min(1, MAX_FRAME_WIDTH / width);
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  context.drawImage(frame, 0, 0, canvas.width, canvas.height);
  frame.close();
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  // A frame the decoder chokes on is a frame without a card; the next one is moments away.
  const text = await readQrText(image, { ...readerOptionsForFrame(frameNumber++), formats: CAMERA_READER_OPTIONS.formats }).catch(() => null);
  if (text) self.postMessage({ text } satisfies CodeRead);
}

async function decodeStream(frames: ReadableStream<VideoFrame>) {
  const reader = frames.getReader();
  let last = -Infinity;
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done) return;
    // Frames that arrive while resting between decodes are dropped at once, freeing the camera's buffers.
    if (performance.now() - last < FRAME_INTERVAL_MS) {
      frame.close();
      continue;
    }
    last = performance.now();
    await decode(frame, frame.displayWidth, frame.displayHeight);
  }
}

self.onmessage = (event: MessageEvent<CameraFrames>) => {
  const message = event.data;
  if ('frames' in message) void decodeStream(message.frames);
  else void decode(message.frame, message.frame.width, message.frame.height).then(() => self.postMessage('next'));
};
