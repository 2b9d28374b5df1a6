import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KioskConfigAnswer } from '../../sync/protocol/kiosk-host-api';
import { KIOSK_CONFIG_ELEMENT_ID } from '../../sync/protocol/kiosk-host-routes';

/**
 * The renderer's index.html with the kiosk's config written into it, as a JSON data block the
 * page reads while its entry script runs: the home renders in that same task, with no round trip
 * to the host first (npm run bench -- startup). A data block is never executed, so the page's
 * Content-Security-Policy (no inline script) has nothing to refuse.
 */
export function rendererPage(rendererDir: string): (config: KioskConfigAnswer) => string {
  // Read once: the built renderer does not change while the host runs.
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const headEnd = html.indexOf('</head>');
  if (headEnd < 0) throw new Error(`${join(rendererDir, 'index.html')} has no </head>: is it the built renderer?`);
  return (config) => {
    // "<" escaped, so nothing in a value (a kiosk name, say) can close the element early.
    const json = JSON.stringify(config).replace(/</g, '\\u003c');
    const block = `<script type="application/json" id="${KIOSK_CONFIG_ELEMENT_ID}">${json}</script>\n  `;
    return html.slice(0, headEnd) + block + html.slice(headEnd);
  };
}
