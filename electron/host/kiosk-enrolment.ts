import type { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { Compile } from 'typebox/compile';
import { EnrolledKiosk, EnrolmentPollAnswer, EnrolmentRequestCreated, type NewKiosk } from '../../sync/protocol/enrolment';
import type { EnrolmentProgress } from '../../sync/protocol/kiosk-host-api';
import { saveEnrolment, type KioskEnrolment } from './kiosk-config';
import { callPlatform } from './platform-tls';

/**
 * The kiosk's side of enrolment. While it has none, it asks the platform for an enrolment request,
 * shows its user code (and a QR of the approval page) through GET /kiosk/enrolment, and polls until
 * an admin approves or refuses it; staff can instead give it an enrolment code from the platform.
 * The enrolment is written to disk before it is used, so the kiosk never syncs with a credential
 * it would lose on a restart.
 */

/** The agent's part of GET /kiosk/enrolment; the route adds how many journaled records wait. */
export type AgentProgress = Omit<EnrolmentProgress, 'waitingRecords'>;

/** The platform answered a code with 404, 409 or 410 (or another refusal), with its message. */
export class EnrolmentCodeRefused extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The platform could not be reached, or answered with a server error: worth trying again later. */
export class PlatformUnreachable extends Error {}

export interface KioskEnrolmentOptions {
  platformUrl: string;
  /** The kiosk's name and the public key it signs USB record bundles with. */
  kiosk: NewKiosk;
  enrolmentFile: string;
  /** Called once the enrolment is on disk. */
  onEnrolled: (enrolment: KioskEnrolment) => void;
  /** How often to ask the platform whether the request was answered. */
  pollMs?: number;
  /** Carries the platform pins (platform-tls.ts): enrolment talks to the platform as the relay does. */
  agent: HttpsAgent;
}

const DEFAULT_POLL_MS = 3000;
/** Before starting over after an unexpected failure, so a persistent one does not spin. */
const FAILURE_PAUSE_MS = 10_000;
const PLATFORM_TIMEOUT_MS = 10_000;
const requestCreated = Compile(EnrolmentRequestCreated);
const pollAnswer = Compile(EnrolmentPollAnswer);
const enrolledKiosk = Compile(EnrolledKiosk);

interface PlatformAnswer {
  status: number;
  body: unknown;
}

function blankProgress(): AgentProgress {
  return { status: 'starting', userCode: null, approveUrl: null, expiresAt: null, problem: null, siteId: null };
}

/** What GET /kiosk/enrolment answers for an enrolled kiosk. */
export function enrolledProgress(enrolment: KioskEnrolment): AgentProgress {
  return { ...blankProgress(), status: 'enrolled', siteId: enrolment.siteId };
}

function messageOf(body: unknown, fallback: string): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : fallback;
}

/** Enrols a kiosk that has no enrolment yet; the host makes one only for such a kiosk. */
export class KioskEnrolmentAgent {
  private enrolment: KioskEnrolment | null = null;
  private state = blankProgress();
  private readonly pollMs: number;
  private readonly platformBase: string;
  private stopped = new AbortController();
  /** Calls that can mint a credential run one at a time, so a code and an approval cannot both enrol the kiosk. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KioskEnrolmentOptions) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.platformBase = options.platformUrl.replace(/\/+$/, '');
  }

  progress(): AgentProgress {
    return { ...this.state };
  }

  /** Starts asking the platform for an enrolment request, and polling it. */
  start(): void {
    void this.run(this.stopped.signal);
  }

  close(): void {
    this.stopped.abort();
  }

  /** After a refusal (or at any time before enrolment): drop the current request and ask for a new one. */
  requestNewCode(): void {
    if (this.enrolment) return;
    this.stopped.abort();
    this.stopped = new AbortController();
    this.state = blankProgress();
    void this.run(this.stopped.signal);
  }

  /** Enrols with a code from the platform, as typed or scanned from its `YXENROL:` QR. */
  async enrolWithCode(code: string): Promise<KioskEnrolment> {
    return this.exclusive(async () => {
      if (this.enrolment) throw new EnrolmentCodeRefused(409, 'This kiosk is already enrolled.');
      const answer = await this.platform('/enrol', { code, ...this.options.kiosk });
      if (answer.status !== 201) throw new EnrolmentCodeRefused(answer.status, messageOf(answer.body, `The platform answered ${answer.status}.`));
      if (!enrolledKiosk.Check(answer.body)) throw new PlatformUnreachable('The platform answered the enrolment with something unexpected.');
      const { kioskId, siteId, credential } = answer.body;
      return this.becomeEnrolled({ kioskId, siteId, credential });
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async platform(path: string, body: unknown, signal?: AbortSignal): Promise<PlatformAnswer> {
    const timeout = AbortSignal.timeout(PLATFORM_TIMEOUT_MS);
    let text: string;
    let status: number;
    try {
      ({ status, text } = await callPlatform(
        `${this.platformBase}${path}`,
        { method: 'POST', body },
        this.options.agent,
        signal ? AbortSignal.any([signal, timeout]) : timeout,
      ));
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new PlatformUnreachable(`The platform cannot be reached: ${(error as Error).message}`);
    }
    if (status >= 500) throw new PlatformUnreachable(`The platform answered ${status}.`);
    try {
      return { status, body: JSON.parse(text) };
    } catch {
      throw new PlatformUnreachable(`The platform answered ${status} with something that is not JSON.`);
    }
  }

  private async becomeEnrolled(enrolment: KioskEnrolment): Promise<KioskEnrolment> {
    await saveEnrolment(this.options.enrolmentFile, enrolment);
    this.enrolment = enrolment;
    this.stopped.abort();
    this.state = enrolledProgress(enrolment);
    this.options.onEnrolled(enrolment);
    return enrolment;
  }

  private async run(signal: AbortSignal): Promise<void> {
    // After an expiry the new code is shown as 'expired' until approved, so the screen can say why it changed.
    let waitingStatus: 'waiting' | 'expired' = 'waiting';
    while (!this.enrolment && !signal.aborted) {
      try {
        const request = await this.newRequest(signal);
        this.state = {
          ...blankProgress(),
          status: waitingStatus,
          userCode: request.userCode,
          approveUrl: `${this.platformBase}/enrol/approve?code=${encodeURIComponent(request.userCode)}`,
          expiresAt: request.expiresAt,
        };
        const outcome = await this.pollUntilAnswered(request, waitingStatus, signal);
        if (outcome === 'refused') {
          this.state = { ...blankProgress(), status: 'refused', problem: 'The platform refused this kiosk.' };
          return;
        }
        waitingStatus = outcome === 'expired' ? 'expired' : 'waiting';
      } catch (error) {
        // Closing the host, or staff asking for a new code, ends this run.
        if (signal.aborted) return;
        // Anything else (say, the enrolment file could not be written): show why, and start over.
        this.state = { ...blankProgress(), status: 'starting', problem: `Enrolment failed: ${(error as Error).message}` };
        await sleep(FAILURE_PAUSE_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /** Asks for a request until the platform gives one, backing off while it cannot be reached. */
  private newRequest(signal: AbortSignal) {
    return pRetry(
      async () => {
        const answer = await this.platform('/enrol/requests', this.options.kiosk, signal);
        if (answer.status === 201 && requestCreated.Check(answer.body)) return answer.body;
        // A platform too old for self-enrolment answers 404: keep trying, an upgrade may come; codes still work.
        throw new PlatformUnreachable(`The platform did not make an enrolment request (${answer.status}): ${messageOf(answer.body, 'no message')}`);
      },
      {
        forever: true,
        minTimeout: 1000,
        maxTimeout: 30_000,
        signal,
        onFailedAttempt: (error) => {
          if (!signal.aborted) this.state = { ...blankProgress(), status: 'offline', problem: error.message };
        },
      },
    );
  }

  /** Polls until the kiosk is enrolled or refused, or its request expired or was lost ('renew'). */
  private async pollUntilAnswered(
    request: EnrolmentRequestCreated,
    waitingStatus: 'waiting' | 'expired',
    signal: AbortSignal,
  ): Promise<'enrolled' | 'refused' | 'expired' | 'renew'> {
    for (;;) {
      await sleep(this.pollMs, undefined, { signal });
      const outcome = await this.exclusive(() => this.pollOnce(request, waitingStatus, signal));
      if (outcome !== 'pending') return outcome;
    }
  }

  private async pollOnce(
    request: EnrolmentRequestCreated,
    waitingStatus: 'waiting' | 'expired',
    signal: AbortSignal,
  ): Promise<'pending' | 'enrolled' | 'refused' | 'expired' | 'renew'> {
    if (this.enrolment) return 'enrolled';
    let answer: PlatformAnswer;
    try {
      answer = await this.platform(`/enrol/requests/${request.requestId}/poll`, { pollSecret: request.pollSecret }, signal);
    } catch (error) {
      if (!(error instanceof PlatformUnreachable)) throw error;
      // The code on screen stays valid while the platform is away: keep showing it.
      this.state = { ...this.state, status: 'offline', problem: error.message };
      return 'pending';
    }
    signal.throwIfAborted();
    if (answer.status === 200 && pollAnswer.Check(answer.body)) {
      const body = answer.body;
      if (body.status === 'pending') {
        this.state = { ...this.state, status: waitingStatus, problem: null };
        return 'pending';
      }
      if (body.status === 'refused') return 'refused';
      await this.becomeEnrolled({ kioskId: body.kioskId, siteId: body.siteId, credential: body.credential });
      return 'enrolled';
    }
    const problem = messageOf(answer.body, `The platform answered ${answer.status}.`);
    if (answer.status === 410) {
      this.state = { ...blankProgress(), status: 'expired', problem };
      return 'expired';
    }
    // 403, 404, 409: the platform lost or finished this request (say, its database was restored),
    // so the code on screen is useless: ask for a new one.
    this.state = { ...blankProgress(), status: 'starting', problem };
    return 'renew';
  }
}
