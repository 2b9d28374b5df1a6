/**
 * `npm run assets:courses [-- <folder>]`: writes the demo course packages (files and
 * manifest.json per course) to assets/courses, or the folder given, for a platform to serve.
 */
import { fileURLToPath } from 'node:url';
import { writeDemoCourses } from './demo-courses';

const target = process.argv[2] ?? fileURLToPath(new URL('./courses', import.meta.url));
const manifests = await writeDemoCourses(target);
for (const m of manifests) {
  const bytes = m.lessons.reduce((sum, l) => sum + l.bytes + (l.subtitles?.bytes ?? 0), 0);
  console.log(`${m.id}: ${m.lessons.length} lessons, ${bytes} bytes → ${target}/${m.id}`);
}
