/**
 * Course cache throughput over loopback: downloads a package of `--mb` megabytes (default 64)
 * into a fresh cache, including the SHA-256 check and atomic rename, and reports cache_mb_per_s.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CourseCache } from '../electron/host/course-cache/course-cache';
import { startPackageServer, testPackage } from '../test/support/package-server';

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--mb');
  const mb = at >= 0 ? Number(args[at + 1]) : 64;
  const body = randomBytes(mb * 1024 * 1024);
  const server = await startPackageServer({ 'bench.bin': body });
  const dir = await mkdtemp(join(tmpdir(), 'yx-bench-'));
  try {
    const cache = await CourseCache.open({ dir, budgetBytes: body.length * 2 });
    const start = performance.now();
    await cache.ensureCourse(testPackage('bench', body), server.url);
    const seconds = (performance.now() - start) / 1000;
    console.log(JSON.stringify({ bench: 'media', metric: 'cache_mb_per_s', mb, value: Number((mb / seconds).toFixed(1)) }));
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
