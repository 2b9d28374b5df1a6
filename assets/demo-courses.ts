import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CourseCategory, CoursePackage, Lesson, LessonKind } from '../sync/protocol/course-package';

/**
 * Demo course material, generated in code so the demo needs no network: a tone melody (WAV) with
 * WebVTT captions, an animated SVG page and an HTML reading. The output is the same bytes on
 * every run, so checksums in the seeded manifests hold. The one binary shipped is the video
 * lesson (assets/demo-video/video-call.webm, ~140 KB, recorded by assets/record-demo-video.ts),
 * since video encoding is not repeatable byte for byte. All of it is our own work, dedicated to
 * the public domain (CC0-1.0).
 */
export const DEMO_LICENCE = 'CC0-1.0 (own work, made by assets/demo-courses.ts and assets/record-demo-video.ts)';

/** The shipped video lesson: VP8 in WebM, 640×360, with its duration written into the header. */
const DEMO_VIDEO = readFileSync(new URL('./demo-video/video-call.webm', import.meta.url));
const DEMO_VIDEO_SECONDS = 8;

type Localized = { 'zh-CN': string; 'zh-HK': string; en: string };

export interface DemoCourse {
  manifest: CoursePackage;
  files: Map<string, Buffer>;
}

const SAMPLE_RATE = 8000;

/** A calm pentatonic melody, soft attack and release per note, 16-bit mono PCM in a WAV container. */
export function toneMelodyWav(notesHz: number[], noteSeconds: number): Buffer {
  const perNote = Math.round(noteSeconds * SAMPLE_RATE);
  const samples = notesHz.length * perNote;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  notesHz.forEach((hz, n) => {
    for (let i = 0; i < perNote; i++) {
      const t = i / SAMPLE_RATE;
      const envelope = Math.min(1, i / 400, (perNote - i) / 800);
      const value = hz === 0 ? 0 : Math.sin(2 * Math.PI * hz * t) * 0.3 * envelope;
      wav.writeInt16LE(Math.round(value * 32767), 44 + (n * perNote + i) * 2);
    }
  });
  return wav;
}

function vttTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `00:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

/** WebVTT captions: one cue per step, evenly over the lesson. */
export function captions(lines: string[], totalSeconds: number): Buffer {
  const each = totalSeconds / lines.length;
  const cues = lines.map((line, i) => `${i + 1}\n${vttTime(i * each)} --> ${vttTime((i + 1) * each)}\n${line}\n`);
  return Buffer.from(`WEBVTT\n\n${cues.join('\n')}`, 'utf8');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A self-contained page lesson: large text and a slow SVG animation (no scripts, no network). */
export function animatedPage(title: Localized, steps: string[]): Buffer {
  const items = steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return Buffer.from(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title['zh-CN'])}</title>
<style>body{font:28px/1.6 sans-serif;color:#111418;background:#fff;margin:32px}h1{font-size:40px}
@media (prefers-reduced-motion: reduce){animate,animateTransform{display:none}}</style></head>
<body><main><h1>${escapeHtml(title['zh-CN'])}</h1>
<svg width="360" height="200" viewBox="0 0 360 200" role="img" aria-label="${escapeHtml(title['zh-CN'])}">
<rect x="10" y="10" width="340" height="180" rx="24" fill="#e8eefa" stroke="#0a3a82" stroke-width="6"/>
<circle cx="80" cy="100" r="40" fill="#0a3a82"><animate attributeName="cx" values="80;280;80" dur="6s" repeatCount="indefinite"/></circle>
</svg><ol>${items}</ol></main></body></html>\n`,
    'utf8',
  );
}

/** A reading lesson as an HTML document, the one format every kiosk renders without a plug-in. */
export function readingDocument(title: Localized, paragraphs: string[]): Buffer {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return Buffer.from(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title['zh-CN'])}</title>
<style>body{font:28px/1.7 sans-serif;color:#111418;background:#fff;margin:32px;max-width:40em}</style></head>
<body><main><h1>${escapeHtml(title['zh-CN'])}</h1>\n${body}\n</main></body></html>\n`,
    'utf8',
  );
}

function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

interface LessonSpec {
  id: string;
  kind: LessonKind;
  title: Localized;
  file: string;
  body: Buffer;
  durationSeconds: number;
  subtitles?: { file: string; body: Buffer };
}

function course(
  id: string,
  category: CourseCategory,
  creditHours: number,
  title: Localized,
  summary: Localized,
  lessons: LessonSpec[],
): DemoCourse {
  const files = new Map<string, Buffer>();
  const manifestLessons: Lesson[] = lessons.map((l) => {
    files.set(l.file, l.body);
    if (l.subtitles) files.set(l.subtitles.file, l.subtitles.body);
    return {
      id: l.id,
      kind: l.kind,
      title: l.title,
      file: l.file,
      bytes: l.body.length,
      sha256: sha256(l.body),
      durationSeconds: l.durationSeconds,
      ...(l.subtitles ? { subtitles: { file: l.subtitles.file, bytes: l.subtitles.body.length, sha256: sha256(l.subtitles.body) } } : {}),
    };
  });
  return {
    manifest: { format: 1, id, version: 1, title, summary, category, provider: '粤学终端示例课程', creditHours, licence: DEMO_LICENCE, lessons: manifestLessons },
    files,
  };
}

/** An audio lesson of `notes.length * 0.5` seconds with captions for its steps. */
function audioLesson(id: string, title: Localized, notes: number[], steps: string[]): LessonSpec {
  const seconds = notes.length * 0.5;
  return {
    id,
    kind: 'audio',
    title,
    file: `${id}.wav`,
    body: toneMelodyWav(notes, 0.5),
    durationSeconds: seconds,
    subtitles: { file: `${id}.vtt`, body: captions(steps, seconds) },
  };
}

// C-major pentatonic (C D E G A), two octaves: gentle and free of any recognisable tune.
const P = [262, 294, 330, 392, 440, 523, 587, 659];
const melody = (pattern: number[]) => pattern.map((i) => (i < 0 ? 0 : (P[i] ?? 0)));

export function demoCourses(): DemoCourse[] {
  return [
    course(
      'smartphone-basics',
      'seniors',
      4,
      { 'zh-CN': '长者智能手机入门', 'zh-HK': '長者智能手機入門', en: 'Smartphone basics for seniors' },
      { 'zh-CN': '一步一步学会开机、接电话和视频通话。', 'zh-HK': '一步一步學識開機、聽電話同視像通話。', en: 'Step by step: switching on, answering calls and video calls.' },
      [
        {
          id: 'video-call',
          kind: 'video',
          title: { 'zh-CN': '第1课 微信视频通话', 'zh-HK': '第1課 微信視像通話', en: 'Lesson 1: WeChat video calls' },
          file: 'video-call.webm',
          body: DEMO_VIDEO,
          durationSeconds: DEMO_VIDEO_SECONDS,
          subtitles: {
            file: 'video-call.vtt',
            body: captions(['打开微信，找到家人的名字。', '点右下角的“+”号。', '选择“视频通话”。', '对方接听后，就能看见彼此。'], DEMO_VIDEO_SECONDS),
          },
        },
        {
          id: 'home-screen',
          kind: 'page',
          title: { 'zh-CN': '第2课 认识主屏幕', 'zh-HK': '第2課 認識主畫面', en: 'Lesson 2: The home screen' },
          file: 'home-screen.html',
          body: animatedPage({ 'zh-CN': '认识主屏幕', 'zh-HK': '認識主畫面', en: 'The home screen' }, ['图标就是应用的入口。', '轻点一下打开应用。', '按下方的圆形按钮回到主屏幕。']),
          durationSeconds: 30,
        },
      ],
    ),
    course(
      'cantonese-cuisine',
      'culture-arts',
      6,
      { 'zh-CN': '广东菜家常做法', 'zh-HK': '廣東菜家常做法', en: 'Home-style Cantonese cuisine' },
      { 'zh-CN': '白切鸡、蒸鱼和老火汤的家常做法。', 'zh-HK': '白切雞、蒸魚同老火湯嘅家常做法。', en: 'Poached chicken, steamed fish and slow-cooked soup at home.' },
      [
        {
          id: 'steamed-fish',
          kind: 'document',
          title: { 'zh-CN': '第1课 清蒸鱼', 'zh-HK': '第1課 清蒸魚', en: 'Lesson 1: Steamed fish' },
          file: 'steamed-fish.html',
          body: readingDocument({ 'zh-CN': '清蒸鱼', 'zh-HK': '清蒸魚', en: 'Steamed fish' }, [
            '准备：鲜鱼一条（约一斤），姜一块，葱两根，豉油两汤匙，食用油一汤匙。',
            '鱼洗净，擦干水，两面各划三刀，放上姜丝。',
            '盘底垫两根筷子，让蒸汽在鱼下面流通，鱼肉熟得均匀。',
            '锅里的水烧开后再放鱼，盖上盖子。',
            '水开后大火蒸八分钟，关火再焖两分钟。',
            '用筷子插进鱼背最厚的地方，能轻松插入就是熟了。',
            '倒掉盘中的水，去掉姜丝，铺上新的葱丝。',
            '油烧热后淋在葱丝上，最后淋上豉油。',
            '小贴士：鱼要新鲜，蒸的时间按鱼的大小加减。',
          ]),
          durationSeconds: 60,
        },
        audioLesson(
          'old-fire-soup',
          { 'zh-CN': '第2课 老火汤', 'zh-HK': '第2課 老火湯', en: 'Lesson 2: Slow-cooked soup' },
          melody([4, 3, 2, 0, -1, 2, 3, 4, 5, -1, 4, 2, 0, 1, 2, -1, 4, 3, 2, 0]),
          ['选料：猪骨、红萝卜、粟米。', '猪骨先飞水。', '大火煲开，转小火煲两小时。', '最后下盐调味。'],
        ),
      ],
    ),
    course(
      'nev-maintenance',
      'skills',
      8,
      { 'zh-CN': '新能源汽车日常维护', 'zh-HK': '新能源汽車日常維護', en: 'New-energy vehicle maintenance' },
      { 'zh-CN': '电池、轮胎和充电安全的日常检查。', 'zh-HK': '電池、輪胎同充電安全嘅日常檢查。', en: 'Everyday checks of battery, tyres and charging safety.' },
      [
        audioLesson(
          'charging-safety',
          { 'zh-CN': '第1课 安全充电', 'zh-HK': '第1課 安全充電', en: 'Lesson 1: Charging safely' },
          melody([0, 0, 4, 4, 5, 5, 4, -1, 3, 3, 2, 2, 1, 1, 0, -1]),
          ['使用合格的充电桩。', '充电前检查插头是否干燥。', '充满后及时拔枪。'],
        ),
        {
          id: 'tyre-check',
          kind: 'page',
          title: { 'zh-CN': '第2课 检查轮胎', 'zh-HK': '第2課 檢查輪胎', en: 'Lesson 2: Checking tyres' },
          file: 'tyre-check.html',
          body: animatedPage({ 'zh-CN': '检查轮胎', 'zh-HK': '檢查輪胎', en: 'Checking tyres' }, ['每月测一次胎压。', '看胎面有没有裂纹和鼓包。', '花纹深度低于1.6毫米要更换。']),
          durationSeconds: 30,
        },
      ],
    ),
  ];
}

/** Writes every demo course's files to `<dir>/<course id>/<file>`, the layout package servers use. */
export async function writeDemoCourses(dir: string): Promise<CoursePackage[]> {
  const courses = demoCourses();
  for (const { manifest, files } of courses) {
    await mkdir(join(dir, manifest.id), { recursive: true });
    for (const [name, body] of files) await writeFile(join(dir, manifest.id, name), body);
    await writeFile(join(dir, manifest.id, 'manifest.json'), JSON.stringify(manifest, null, 2));
  }
  return courses.map((c) => c.manifest);
}
