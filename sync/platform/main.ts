/**
 * `npm run platform`: the central platform on its own, as a province deploys it (behind a load
 * balancer, on PostgreSQL). Configured from the environment; see docs/platform.md.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dataFolder } from './data-folder';
import { startPlatform } from './start-platform';

async function main() {
  const port = Number(process.env.PLATFORM_PORT ?? 4310);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PLATFORM_PORT=${process.env.PLATFORM_PORT} is not a port number.`);
  const contentDir = process.env.PLATFORM_CONTENT_DIR ?? join(dataFolder(), 'course-content');
  await mkdir(contentDir, { recursive: true });
  const platform = await startPlatform({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: join(dataFolder(), 'platform-db'),
    contentDir,
    host: process.env.PLATFORM_HOST ?? '127.0.0.1',
    port,
    logger: true,
  });
  console.log(`Yuexue platform ${platform.url} (${platform.database.kind})`);
  const stop = () => void platform.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
