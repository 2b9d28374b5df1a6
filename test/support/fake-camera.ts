import { open } from 'node:fs/promises';
import QRCode from 'qrcode';

const WIDTH = 640;
const HEIGHT = 480;

export interface CardPicture {
  /** Degrees the card is turned in the picture: people never hold it straight. */
  tiltDegrees: number;
  /** Box-blur radius in pixels, for a camera slightly out of focus. */
  blurRadius: number;
  /** Width of the QR code (with its quiet zone) in pixels. */
  sizePixels: number;
}

/** A grey 640×480 picture of the QR code for `text`, tilted and blurred as asked. */
function cardPicture(text: string, picture: CardPicture): Uint8Array {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const quiet = 4;
  const modulePixels = picture.sizePixels / (modules + 2 * quiet);
  const angle = (picture.tiltDegrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const sharp = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      // Turn the picture back to the card's own frame and look up the module there.
      const dx = x - WIDTH / 2;
      const dy = y - HEIGHT / 2;
      const u = (cos * dx + sin * dy) / modulePixels + modules / 2;
      const v = (-sin * dx + cos * dy) / modulePixels + modules / 2;
      const inCode = u >= 0 && v >= 0 && u < modules && v < modules;
      const dark = inCode && qr.modules.get(Math.floor(v), Math.floor(u));
      const onCard = Math.abs(u - modules / 2) < modules / 2 + quiet && Math.abs(v - modules / 2) < modules / 2 + quiet;
      // Dark modules, a white card, and a mid-grey table around it.
      sharp[y * WIDTH + x] = dark ? 30 : onCard ? 225 : 120;
    }
  }
  return boxBlur(sharp, picture.blurRadius);
}

function boxBlur(pixels: Uint8Array, radius: number): Uint8Array {
  if (radius <= 0) return pixels;
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      let sum = 0;
      let count = 0;
      for (let j = Math.max(0, y - radius); j <= Math.min(HEIGHT - 1, y + radius); j++) {
        for (let i = Math.max(0, x - radius); i <= Math.min(WIDTH - 1, x + radius); i++) {
          sum += pixels[j * WIDTH + i]!;
          count++;
        }
      }
      out[y * WIDTH + x] = Math.round(sum / count);
    }
  }
  return out;
}

/** What the camera sees for a while: a learner's card (its QR text), or the empty table. */
export interface CameraScene {
  cardText: string | null;
  frames: number;
}

/** Frames showing a card carry a dark square in the top-left corner, so a page can tell when one arrives. */
export const CARD_MARKER_PIXELS = 16;

function withMarker(luma: Uint8Array, dark: boolean): Buffer {
  const frame = Buffer.from(luma);
  for (let y = 0; y < CARD_MARKER_PIXELS; y++) frame.fill(dark ? 0 : 255, y * WIDTH, y * WIDTH + CARD_MARKER_PIXELS);
  return frame;
}

/**
 * Writes a .y4m video for Chromium's fake camera (`--use-file-for-fake-video-capture`), scene
 * after scene. Chromium plays it in a loop at 10 fps.
 */
export async function writeCameraVideo(path: string, scenes: CameraScene[], picture: CardPicture): Promise<void> {
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const empty = withMarker(new Uint8Array(WIDTH * HEIGHT).fill(120), false);
  const file = await open(path, 'w');
  try {
    await file.write(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
    for (const scene of scenes) {
      const luma = scene.cardText === null ? empty : withMarker(cardPicture(scene.cardText, picture), true);
      for (let i = 0; i < scene.frames; i++) await file.write(Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]));
    }
  } finally {
    await file.close();
  }
}
