import { CSRF_HEADER, type ConsoleSession } from '../../sync/protocol/console-api';

export interface ConsoleAnswer {
  status: number;
  body: never;
  headers: Headers;
}

/** An operator's browser, as far as the console API sees it: a cookie jar and the CSRF token. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, body?: unknown, options: { csrf?: string | null } = {}): Promise<ConsoleAnswer> {
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(csrf ? { [CSRF_HEADER]: csrf } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
    return { status: response.status, body: (isJson ? JSON.parse(text) : text) as never, headers: response.headers };
  }

  /** Fetches a CSRF token (setting its secret cookie) and signs in; answers the sign-in's response. */
  async signIn(login: string, password: string): Promise<ConsoleAnswer> {
    if (!this.csrfToken) this.csrfToken = ((await this.call('GET', '/console/api/csrf')).body as { csrfToken: string }).csrfToken;
    const answer = await this.call('POST', '/console/api/sign-in', { login, password });
    if (answer.status === 200) this.csrfToken = (answer.body as ConsoleSession).csrfToken;
    return answer;
  }
}
