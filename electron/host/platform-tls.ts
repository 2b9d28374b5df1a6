import { createHash, X509Certificate } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';

/**
 * Whether a platform URL names this computer: only there may it be plain http, since nothing
 * but the machine itself sees the traffic.
 */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * The credential, the issuer keys (whoever can inject one can forge cards) and every record
 * travel on platformUrl, so it must be https unless the platform runs on this computer.
 */
export function checkPlatformUrl(platformUrl: string, source = 'platformUrl'): void {
  let url: URL;
  try {
    url = new URL(platformUrl);
  } catch {
    throw new Error(`${source} "${platformUrl}" is not a URL such as https://platform.example.cn.`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new Error(
    `${source} "${platformUrl}" must start with https://: the kiosk's credential and the card issuer keys travel on it. ` +
      'Plain http:// is allowed only for a platform on this computer (localhost, 127.0.0.1, ::1).',
  );
}

/**
 * A pin names a certificate the platform's TLS chain must contain: `sha256/<base64>` for the
 * SHA-256 of its public key (SPKI, as HPKP and curl's --pinnedpubkey write it; survives a
 * certificate renewal that keeps the key) or `cert-sha256/<hex>` for the certificate's own
 * SHA-256 fingerprint (colons allowed, as openssl prints it).
 */
export const PLATFORM_PIN_PATTERN = '^(sha256/[A-Za-z0-9+/]{43}=|cert-sha256/([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2})$';

/** Both pins of one certificate; the SPKI comes from the DER, since the peer certificate's `pubkey` is the bare key. */
function pinsOf(cert: DetailedPeerCertificate): string[] {
  const spki = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
  return [`cert-sha256/${cert.fingerprint256.replace(/:/g, '').toLowerCase()}`, `sha256/${createHash('sha256').update(spki).digest('base64')}`];
}

function normalisePin(pin: string): string {
  return pin.startsWith('cert-sha256/') ? `cert-sha256/${pin.slice(12).replace(/:/g, '').toLowerCase()}` : pin;
}

export class PlatformPinMismatch extends Error {}

/** Node's usual host name check, then: some certificate of the chain must match one of the pins. */
export function pinnedServerIdentity(pins: string[]): (hostname: string, cert: PeerCertificate) => Error | undefined {
  const wanted = new Set(pins.map(normalisePin));
  return (hostname, cert) => {
    const usual = checkServerIdentity(hostname, cert);
    if (usual) return usual;
    const seen = new Set<DetailedPeerCertificate>();
    for (let c = cert as DetailedPeerCertificate | undefined; c && !seen.has(c); c = c.issuerCertificate) {
      seen.add(c);
      if (pinsOf(c).some((pin) => wanted.has(pin))) return undefined;
    }
    return new PlatformPinMismatch(
      `The platform's certificate does not match platformPins in kiosk.json (it has ${pinsOf(cert as DetailedPeerCertificate).join(', ')}); refusing to talk to it.`,
    );
  };
}

export interface PlatformTlsOptions {
  /** From kiosk.json: empty or absent means the usual certificate checks only. */
  pins?: string[];
  /** Extra trusted certificates (PEM), for a platform with its own certificate authority. */
  ca?: string | string[];
}

/** TLS options for every connection the host makes to the platform: the relay's and enrolment's. */
export function platformAgentOptions(options: PlatformTlsOptions = {}): AgentOptions {
  return {
    keepAlive: true,
    rejectUnauthorized: true,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.pins?.length ? { checkServerIdentity: pinnedServerIdentity(options.pins) } : {}),
  };
}

export interface PlatformAnswer {
  status: number;
  text: string;
  /** The answer as received, for answers that are files (a record bundle's receipt). */
  bytes: Buffer;
}

/**
 * One request to the platform over the pinned agent (fetch cannot take Node's TLS options): a
 * JSON body when given, the answer's status and text.
 */
export function callPlatform(
  url: string,
  options: { method: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string>; file?: Uint8Array },
  agent: HttpsAgent,
  signal: AbortSignal,
): Promise<PlatformAnswer> {
  const target = new URL(url);
  // A file (a record bundle to relay) goes as its bytes; anything else as JSON.
  const payload = options.file ? Buffer.from(options.file) : options.body === undefined ? undefined : JSON.stringify(options.body);
  const contentType = options.file ? 'application/octet-stream' : 'application/json';
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method,
        headers: { ...options.headers, ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }) },
        signal,
        ...(target.protocol === 'https:' ? { agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, text: bytes.toString('utf8'), bytes });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A `fetch` for GETs from the platform over the pinned agent, streaming the body: what the course
 * cache downloads lesson files with, so content comes over the same checked connection as the
 * catalog that names it.
 */
export function platformFetch(agent: HttpsAgent): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(
        target,
        { method: 'GET', headers: init?.headers as Record<string, string> | undefined, ...(init?.signal ? { signal: init.signal } : {}), ...(target.protocol === 'https:' ? { agent } : {}) },
        resolve,
      );
      req.on('error', reject);
      req.end();
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
    // Pulled a chunk at a time, nothing queued: when the link drops mid-file, every chunk already
    // read has been handed on (and written to the part) before the error, so the retry resumes
    // after it. A web stream that errors drops whatever it had queued.
    const chunks = response[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const next = await chunks.next();
            if (next.done) controller.close();
            else controller.enqueue(new Uint8Array(next.value));
          } catch (error) {
            controller.error(error);
          }
        },
        cancel() {
          response.destroy();
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: response.statusCode ?? 0, headers });
  }) as typeof fetch;
}
