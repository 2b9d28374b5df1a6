import type { PermissionCheckDetails, PermissionRequestDetails, SessionLike } from './electron-api';

// Electron grants every permission a page asks for unless the app says otherwise. The kiosk needs
// exactly one: the camera, to read learner cards, for its own page. No microphone, no location,
// no notifications, no clipboard, nothing for a course page or any other origin.

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function allowsPermissionRequest(kioskOrigin: string, permission: string, details: PermissionRequestDetails): boolean {
  if (permission !== 'media') return false;
  // Electron 45 makes isMainFrame optional; a request known to come from a subframe is refused.
  if (details.isMainFrame === false) return false;
  const mediaTypes = details.mediaTypes ?? [];
  if (mediaTypes.length === 0 || mediaTypes.some((type) => type !== 'video')) return false;
  return originOf(details.requestingUrl ?? details.securityOrigin) === kioskOrigin;
}

export function allowsPermissionCheck(kioskOrigin: string, permission: string, requestingOrigin: string, details: PermissionCheckDetails): boolean {
  if (permission !== 'media' || details.mediaType !== 'video') return false;
  // Set only for cross-origin subframes, which get nothing.
  if (details.embeddingOrigin !== undefined) return false;
  return originOf(requestingOrigin) === kioskOrigin;
}

export function applyPermissionPolicy(session: SessionLike, kioskUrl: string, log: (message: string) => void): void {
  const kioskOrigin = new URL(kioskUrl).origin;
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const granted = allowsPermissionRequest(kioskOrigin, permission, details);
    if (!granted) log(`refused permission ${permission}${details.mediaTypes ? ` (${details.mediaTypes.join(', ')})` : ''} for ${details.requestingUrl ?? 'unknown page'}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    allowsPermissionCheck(kioskOrigin, permission, requestingOrigin, details),
  );
}
