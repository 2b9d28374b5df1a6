import type { ConsoleSession } from '../sync/protocol/console-api';
import { CSRF_HEADER } from '../sync/protocol/console-csrf';

/** A refusal from the console API: its code picks the translated message (errors.* in the catalogs). */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Calls the console API with the session cookie and, on every change, the CSRF token. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/console/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(method === 'GET' ? {} : { [CSRF_HEADER]: csrfToken }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  const data: unknown = isJson ? await response.json() : await response.text();
  if (!response.ok) {
    const refusal = (isJson ? data : {}) as { code?: string; message?: string };
    throw new ConsoleApiError(response.status, refusal.code ?? 'internal', refusal.message ?? response.statusText);
  }
  return data as T;
}

/** The operator signed in on this browser, or null; either way the CSRF token is ready. */
export async function currentSession(): Promise<ConsoleSession | null> {
  try {
    const session = await api<ConsoleSession>('GET', '/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (!(error instanceof ConsoleApiError) || error.status !== 401) throw error;
    setCsrfToken((await api<{ csrfToken: string }>('GET', '/csrf')).csrfToken);
    return null;
  }
}

export async function signIn(login: string, password: string): Promise<ConsoleSession> {
  const session = await api<ConsoleSession>('POST', '/sign-in', { login, password });
  setCsrfToken(session.csrfToken);
  return session;
}

/** Saves a response as a file, for report and card-sheet downloads that need the session cookie. */
export async function download(path: string, fileName: string): Promise<void> {
  const response = await fetch(`/console/api${path}`, { credentials: 'same-origin' });
  if (!response.ok) {
    const refusal = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ConsoleApiError(response.status, refusal.code ?? 'internal', refusal.message ?? response.statusText);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
