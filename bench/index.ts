/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.bench.ts, which prints its figures as
 * JSON lines on stdout. Without a name, runs every benchmark in turn.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

interface Benchmark {
  run(args: string[]): Promise<void>;
}

async function available(): Promise<string[]> {
  return (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const names = await available();
  const chosen = name ? [name] : names;
  for (const bench of chosen) {
    if (!names.includes(bench)) {
      console.error(`No benchmark "${bench}". Available: ${names.join(', ')}`);
      process.exit(2);
    }
    const module = (await import(pathToFileURL(`${here}${bench}.bench.ts`).href)) as Benchmark;
    await module.run(args);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
