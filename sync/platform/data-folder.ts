import envPaths from 'env-paths';

/**
 * The platform's per-user data folder (its embedded database, course content); YUEXUE_DATA_DIR
 * overrides it. The demo launcher keeps its kiosk's folder in it too (`<data folder>/kiosk`).
 */
export function dataFolder(): string {
  return process.env.YUEXUE_DATA_DIR ?? envPaths('yuexue-kiosk', { suffix: '' }).data;
}
