/**
 * `npx tsx assets/record-demo-video.ts`: records the demo video lesson (a phone making a video
 * call, with large text) to assets/demo-video/video-call.webm. The machine has no ffmpeg, so
 * headless Chromium draws the animation on a canvas and encodes it with MediaRecorder (VP8).
 * Encoding is not bit-for-bit repeatable, which is why the result is shipped rather than
 * generated on every run: the course manifest's SHA-256 is computed from the shipped file.
 * Own work, CC0-1.0.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SECONDS = 8;
const out = fileURLToPath(new URL('./demo-video/video-call.webm', import.meta.url));
// MediaRecorder writes no duration into the WebM header, so the player could neither show the
// length nor seek; fix-webm-duration writes it in before the file is saved.
const fixDuration = createRequire(import.meta.url).resolve('fix-webm-duration/fix-webm-duration.js');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.addScriptTag({ path: fixDuration });
  // tsx compiles with esbuild's keepNames, whose __name helper the page does not have.
  await page.addScriptTag({ content: 'window.__name = (f) => f;' });
  const base64 = await page.evaluate(async (seconds) => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 360;
    document.body.append(canvas);
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2D canvas');
    const steps = ['打开微信', '点右下角“+”', '选“视频通话”', '接通，见面啦！'];
    const draw = (t: number) => {
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, 640, 360);
      // The phone: a rounded body, a screen, and a face that appears once the call connects.
      g.fillStyle = '#0a3a82';
      g.beginPath();
      g.roundRect(60, 30, 170, 300, 24);
      g.fill();
      g.fillStyle = '#e8eefa';
      g.fillRect(75, 60, 140, 230);
      const step = Math.min(steps.length - 1, Math.floor((t / seconds) * steps.length));
      const pulse = 0.5 + 0.5 * Math.sin(t * Math.PI * 2);
      g.fillStyle = step === steps.length - 1 ? '#1a7f37' : `rgba(10,58,130,${0.4 + 0.6 * pulse})`;
      g.beginPath();
      g.arc(145, 175, step === steps.length - 1 ? 45 : 25 + 10 * pulse, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#111418';
      g.font = 'bold 44px sans-serif';
      g.fillText(`第${step + 1}步`, 270, 140);
      g.font = 'bold 36px sans-serif';
      g.fillText(steps[step] ?? '', 270, 200);
      g.fillStyle = '#0a3a82';
      g.fillRect(270, 250, (330 * t) / seconds, 16);
    };
    draw(0);
    const stream = canvas.captureStream(25);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 200_000 });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(250);
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const frame = () => {
        const t = (performance.now() - start) / 1000;
        draw(Math.min(t, seconds));
        if (t < seconds) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    recorder.stop();
    await stopped;
    const fix = (window as unknown as { ysFixWebmDuration: (blob: Blob, ms: number, cb?: undefined, o?: object) => Promise<Blob> }).ysFixWebmDuration;
    const fixed = await fix(new Blob(chunks, { type: 'video/webm' }), (performance.now() - start) | 0, undefined, { logger: false });
    const bytes = new Uint8Array(await fixed.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  }, SECONDS);
  const body = Buffer.from(base64, 'base64');
  await mkdir(fileURLToPath(new URL('./demo-video/', import.meta.url)), { recursive: true });
  await writeFile(out, body);
  console.log(`${out}: ${body.length} bytes, ${SECONDS} s`);
} finally {
  await browser.close();
}
