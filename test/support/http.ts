/** A JSON (or text) HTTP call with a Bearer token, answering status and parsed body. */
export async function httpCall(baseUrl: string, method: string, path: string, body: unknown, token: string | null) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: response.status, body: (isJson ? JSON.parse(text) : text) as never, contentType: response.headers.get('content-type') ?? '' };
}
