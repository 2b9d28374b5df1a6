import type { SessionLike } from './electron-api';
import { contentSecurityPolicyFor } from './host/content-security-policy';

/**
 * Puts the kiosk host's Content-Security-Policy on every response from the kiosk origin, whether
 * or not the host sent it: the shell does not depend on which host version serves the page.
 */
export function enforceContentSecurityPolicy(session: SessionLike, kioskUrl: string): void {
  const kiosk = new URL(kioskUrl);
  // Match patterns with a port are refused by some Electron versions; one without matches every
  // port, so the listener checks the origin itself.
  session.webRequest.onHeadersReceived({ urls: [`${kiosk.protocol}//${kiosk.hostname}/*`] }, (details, callback) => {
    if (new URL(details.url).origin !== kiosk.origin) return callback({});
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [contentSecurityPolicyFor(details.url)];
    callback({ responseHeaders: headers });
  });
}
