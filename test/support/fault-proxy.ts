import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small seeded generator (mulberry32), so a failing schedule can be run again from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultRates {
  /** The request never reaches the platform. */
  dropRequest: number;
  /** The platform handles (and commits) the request; its answer never reaches the kiosk. */
  dropAnswer: number;
  /** The request reaches the platform twice, at once, through two instances. */
  duplicate: number;
  /** The request waits up to maxDelayMs before going on. */
  delay: number;
  maxDelayMs: number;
}

export interface FaultCounts {
  requests: number;
  droppedRequests: number;
  droppedAnswers: number;
  duplicates: number;
  delays: number;
  upstreamErrors: number;
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  /** Faults by the seeded schedule; `offline` drops every request; `clean` relays everything. */
  setMode(mode: 'faulty' | 'offline' | 'clean'): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function forward(target: string, incoming: IncomingMessage, body: Buffer): Promise<Answer> {
  const url = new URL(incoming.url ?? '/', target);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: incoming.method, headers: { ...incoming.headers, host: url.host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

/**
 * Plain node:http between the kiosk host's relay and the platform instances (round-robin), which
 * by a seeded schedule drops requests, drops answers after the platform has committed, sends a
 * request to two instances at once, and delays. A dropped request or answer is a destroyed
 * connection, which the kiosk host reports to the kiosk as the platform being unreachable.
 */
export async function startFaultProxy(targets: string[], seed: number, rates: FaultRates): Promise<FaultProxy> {
  const random = seededRandom(seed);
  const counts: FaultCounts = { requests: 0, droppedRequests: 0, droppedAnswers: 0, duplicates: 0, delays: 0, upstreamErrors: 0 };
  let mode: 'faulty' | 'offline' | 'clean' = 'clean';
  let next = 0;
  const pick = () => targets[next++ % targets.length]!;

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse) {
    const body = await readBody(incoming);
    counts.requests++;
    // Every draw is made whatever the mode, so the schedule depends only on the seed and the request count.
    const [drop, lose, twice, wait, waitMs] = [random(), random(), random(), random(), random()];
    const faulty = mode === 'faulty';
    if (mode === 'offline' || (faulty && drop < rates.dropRequest)) {
      counts.droppedRequests++;
      return incoming.socket.destroy();
    }
    if (faulty && wait < rates.delay) {
      counts.delays++;
      await new Promise((resolve) => setTimeout(resolve, waitMs * rates.maxDelayMs));
    }
    const duplicate = faulty && twice < rates.duplicate;
    if (duplicate) counts.duplicates++;
    let answer: Answer;
    try {
      const answers = [forward(pick(), incoming, body), ...(duplicate ? [forward(pick(), incoming, body)] : [])];
      // The kiosk gets the first answer; the duplicate still runs to its end on the platform.
      answer = await Promise.any(answers);
      await Promise.allSettled(answers);
    } catch {
      counts.upstreamErrors++;
      return incoming.socket.destroy();
    }
    if (faulty && lose < rates.dropAnswer) {
      counts.droppedAnswers++;
      return incoming.socket.destroy();
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answer.body.length);
    outgoing.writeHead(answer.status, headers);
    outgoing.end(answer.body);
  }

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch(() => incoming.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    setMode(newMode) {
      mode = newMode;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
