import envPaths from 'env-paths';

/** The per-user data folder (platform database, kiosk config); YUEXUE_DATA_DIR overrides it. */
export function dataFolder(): string {
  return process.env.YUEXUE_DATA_DIR ?? envPaths('yuexue-kiosk', { suffix: '' }).data;
}
