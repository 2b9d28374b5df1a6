import { ensureChromium } from './find-chromium';

/** Once before the end-to-end tests: a fresh machine gets its browser here, not in each test file's hooks. */
export default function setup(): void {
  ensureChromium((line) => console.log(`e2e: ${line}`));
}
