/**
 * The kiosk host of `npm run bench -- soak`, in a process of its own so its memory is measured
 * apart from the bench's (which also runs the platform and drives the browser). soak.bench.ts
 * bundles it with the Electron shell's esbuild settings and starts it with plain node and
 * `--expose-gc` (so the figures are the built product's, not a TypeScript loader's); it is told
 * its settings in SOAK_HOST (JSON), answers `sample` messages with its memory after a forced
 * collection, `heap-snapshot` messages by writing a V8 heap snapshot to the file named (for
 * `--heap-diff`), and `close` by stopping.
 */
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { CourseCache } from '../electron/host/course-cache/course-cache';
import { startKioskHost } from '../electron/host/kiosk-host';
import type { KioskEnrolment, KioskSettings } from '../electron/host/kiosk-config';
import { parseSmapsRollup } from './smaps-rollup';

export interface SoakHostOptions {
  settings: KioskSettings;
  enrolment: KioskEnrolment;
  rendererDir: string;
  journalFile: string;
  cacheDir: string;
}

/** Bytes, after two forced collections. */
export interface HostMemory {
  rss: number;
  /** Resident pages the process allocated itself, and those of mapped files (bench/smaps-rollup.ts). */
  anonymous: number;
  fileBacked: number;
  heapUsed: number;
  /** What V8 has reserved for its heap spaces: heapUsed plus free room the next allocations fill. */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Each V8 heap space's committed size (new_space, old_space, code_space, large_object_space, ...). */
  spaces: Record<string, number>;
}

export type SoakHostMessage = { type: 'ready'; url: string } | ({ type: 'sample' } & HostMemory) | { type: 'heap-snapshot'; file: string };

const send = (message: SoakHostMessage) => process.send!(message);

function memory(): HostMemory {
  const usage = process.memoryUsage();
  const rollup = parseSmapsRollup(readFileSync('/proc/self/smaps_rollup', 'utf8'));
  const spaces = Object.fromEntries(getHeapSpaceStatistics().filter((s) => s.space_size > 0).map((s) => [s.space_name, s.space_size]));
  return {
    rss: usage.rss,
    anonymous: rollup.anonymousBytes,
    fileBacked: rollup.fileBytes,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    spaces,
  };
}

async function main() {
  const options = JSON.parse(process.env.SOAK_HOST ?? '') as SoakHostOptions;
  const courseCache = await CourseCache.open({ dir: options.cacheDir, budgetBytes: 50_000_000 });
  const host = await startKioskHost({
    courseCache,
    settings: options.settings,
    enrolment: options.enrolment,
    rendererDir: options.rendererDir,
    journalFile: options.journalFile,
  });
  process.on('message', (message: { type: string; file?: string }) => {
    if (message.type === 'heap-snapshot') {
      // Same isolate, same heap profiler: object ids stay stable between this process's
      // snapshots, so the bench can tell which objects were made between two of them.
      send({ type: 'heap-snapshot', file: writeHeapSnapshot(message.file) });
    } else if (message.type === 'sample') {
      // Twice: the first collection can leave finalised objects for the second.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      send({ type: 'sample', ...memory() });
    } else if (message.type === 'close') {
      void host.close().finally(() => process.exit(0));
    }
  });
  // The bench gone (killed, crashed) means nobody will ever close this host.
  process.on('disconnect', () => void host.close().finally(() => process.exit(0)));
  send({ type: 'ready', url: host.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
