/**
 * `npm run bench -- qr [FOLDER]`: decodes every .png/.jpg under FOLDER (default: the shared
 * qr-zxing corpus) and compares with the .txt beside each image. One JSON line per decoder:
 * {"bench":"qr","decoder":…,"passed":N,"total":N,"median_ms":x}.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import jpeg from 'jpeg-js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { prepareZXingModule } from 'zxing-wasm/reader';
import { QR_READER_OPTIONS, QR_RETRY_OPTIONS, readQrText } from '../renderer/checkin/qr-reader';

const DEFAULT_FOLDER = '/work/shared/corpus/qr-zxing';
const IMAGE_TYPES = new Set(['.png', '.jpg', '.jpeg']);

interface Sample {
  name: string;
  frame: ImageData;
  expected: string;
}

type Decoder = (frame: ImageData) => Promise<string | null>;

async function imagesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && IMAGE_TYPES.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function decodeImage(path: string, bytes: Buffer): ImageData {
  const { data, width, height } = extname(path).toLowerCase() === '.png' ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true });
  // zxing-wasm and jsQR both take RGBA pixels; Node has no ImageData class, the shape is enough.
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height, colorSpace: 'srgb' } as ImageData;
}

async function loadSamples(folder: string): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const path of await imagesUnder(folder)) {
    const textPath = path.slice(0, -extname(path).length) + '.txt';
    const expected = await readFile(textPath, 'utf8').catch(() => null);
    if (expected === null) continue;
    samples.push({ name: path.slice(folder.length + 1), frame: decodeImage(path, await readFile(path)), expected });
  }
  return samples;
}

const readWithJsQR: Decoder = async (frame) => jsQR(frame.data, frame.width, frame.height)?.data ?? null;

const readWithZXing: Decoder = (frame) => readQrText(frame);

const readWithZXingRetries: Decoder = async (frame) => {
  for (const options of [QR_READER_OPTIONS, ...QR_RETRY_OPTIONS]) {
    const text = await readQrText(frame, options);
    if (text !== null) return text;
  }
  return null;
};

const readWithZXingThenJsQR: Decoder = async (frame) => (await readWithZXingRetries(frame)) ?? readWithJsQR(frame);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(name: string, decode: Decoder, samples: Sample[]) {
  const times: number[] = [];
  let passed = 0;
  for (const sample of samples) {
    const started = performance.now();
    const text = await decode(sample.frame).catch(() => null);
    times.push(performance.now() - started);
    if (text === sample.expected) passed++;
  }
  console.log(JSON.stringify({ bench: 'qr', decoder: name, passed, total: samples.length, median_ms: Number(median(times).toFixed(2)) }));
}

export async function run(args: string[]): Promise<void> {
  const folder = (args[0] ?? DEFAULT_FOLDER).replace(/\/$/, '');
  // Node: hand zxing-wasm the .wasm from the package; by default it would fetch it from a CDN.
  const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  const wasmBinary = await readFile(wasmPath);
  await prepareZXingModule({ overrides: { wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) }, fireImmediately: true });
  const samples = await loadSamples(folder);
  // Warm up once so the first image does not pay for compiling the module.
  if (samples[0]) await readWithZXing(samples[0].frame);
  await measure('zxing-wasm', readWithZXing, samples);
  await measure('jsqr', readWithJsQR, samples);
  await measure('zxing-wasm+retries', readWithZXingRetries, samples);
  await measure('zxing-wasm+retries+jsqr', readWithZXingThenJsQR, samples);
}
