import { KioskHostRoutes, STAFF_TOKEN_HEADER } from '../../sync/protocol/kiosk-host-routes';

/**
 * The staff token a right PIN returned, held in memory only: a reload, or leaving staff mode,
 * asks for the PIN again. Staff calls to the kiosk host go through `staffFetch`, which sends the
 * token and, when the host no longer takes it (it expired, or the host restarted), ends staff
 * mode so the app can ask for the PIN again.
 */
let token: string | null = null;
const expiryListeners = new Set<() => void>();

export function beginStaffSession(newToken: string): void {
  token = newToken;
}

/** Leaving staff mode: the host forgets the token too, so it is worthless if anyone saw it. */
export function endStaffSession(): void {
  if (!token) return;
  void fetch(KioskHostRoutes.staffLock, { method: 'POST', headers: { [STAFF_TOKEN_HEADER]: token } }).catch(() => undefined);
  token = null;
}

/** Calls `listener` when a staff call finds the token expired; returns the unsubscribe. */
export function onStaffSessionExpired(listener: () => void): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}

export async function staffFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(token ? { [STAFF_TOKEN_HEADER]: token } : {}) } });
  if (response.status === 401) {
    token = null;
    for (const listener of expiryListeners) listener();
  }
  return response;
}
