import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { CourseCache } from './course-cache/course-cache';
import { loadKioskConfig } from './kiosk-config';
import { startKioskHost, type RunningKioskHost } from './kiosk-host';
import { JOURNAL_FILE } from './record-journal';
import { platformAgentOptions, platformFetch } from './platform-tls';

export interface KioskFolderOptions {
  port?: number;
  host?: string;
  rendererDir?: string;
  /** Overrides kiosk.json's platformUrl (the demo's platform may move to another port). */
  platformUrl?: string;
}

/** Course storage a kiosk may use; YUEXUE_COURSE_BUDGET_MB overrides it. */
function courseBudgetBytes(): number {
  const megabytes = Number(process.env.YUEXUE_COURSE_BUDGET_MB ?? 2048);
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new Error(`YUEXUE_COURSE_BUDGET_MB=${process.env.YUEXUE_COURSE_BUDGET_MB} is not a number of megabytes.`);
  return megabytes * 1024 * 1024;
}

/**
 * Starts the kiosk host for the kiosk whose files are in `folder`: kiosk.json from the operator,
 * enrolment.json once it is enrolled, its record journal, and its course cache in courses/. Electron, `npm run kiosk`
 * and `npm start` all start a kiosk this way, enrolled or not.
 */
export async function startKioskFromFolder(folder: string, options: KioskFolderOptions = {}): Promise<RunningKioskHost> {
  const config = await loadKioskConfig(folder);
  // Lesson files come from the platform too: over the same checks and pins as the relay.
  const agent = new HttpsAgent(platformAgentOptions({ pins: config.settings.platformPins }));
  const courseCache = await CourseCache.open({ dir: join(folder, 'courses'), budgetBytes: courseBudgetBytes(), fetch: platformFetch(agent) });
  const host = await startKioskHost({
    ...config,
    settings: { ...config.settings, platformUrl: options.platformUrl ?? config.settings.platformUrl },
    courseCache,
    journalFile: join(folder, JOURNAL_FILE),
    port: options.port,
    host: options.host,
    rendererDir: options.rendererDir,
  });
  return {
    ...host,
    async close() {
      await host.close();
      agent.destroy();
    },
  };
}
