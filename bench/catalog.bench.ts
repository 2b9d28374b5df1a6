/**
 * Offline catalog search over a generated catalog (default 10,000 courses; `--courses N`):
 * time to build the pinyin index once, and per-query latency for Chinese, pinyin and initials.
 * Target: p95 ≤ 50 ms per query on a kiosk-class CPU.
 */
import { performance } from 'node:perf_hooks';
import { demoCourses } from '../assets/demo-courses';
import { searchableCourses, searchCourses } from '../renderer/learn/course-search';
import type { CoursePackage } from '../sync/protocol/course-package';

const WORDS = ['广东', '粤剧', '书法', '太极', '手机', '电脑', '烹饪', '茶艺', '摄影', '英语', '急救', '理财', '园艺', '养生', '防诈骗', '普通话'];

function catalog(size: number): CoursePackage[] {
  const base = demoCourses()[0]!.manifest;
  return Array.from({ length: size }, (_, i) => {
    const name = `${WORDS[i % WORDS.length]}${WORDS[(i * 7) % WORDS.length]}第${i}讲`;
    return { ...base, id: `course-${i}`, title: { 'zh-CN': name, 'zh-HK': name, en: `Course ${i}` } };
  });
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const size = option(args, '--courses', 10_000);
  const courses = catalog(size);
  const t0 = performance.now();
  const index = searchableCourses(courses);
  console.log(JSON.stringify({ bench: 'catalog', metric: 'index_build_ms', courses: size, value: Math.round(performance.now() - t0) }));
  for (const query of ['广东', 'taiji', 'gdgd', 'fangzhapian', 'Course 99']) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      hits = searchCourses(index, query).length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    console.log(JSON.stringify({ bench: 'catalog', metric: 'search_p95_ms', query, courses: size, hits, value: Number(p95.toFixed(2)), target: 50 }));
  }
}
