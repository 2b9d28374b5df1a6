/** A kiosk has at most this many pushes waiting; a real kiosk pushes one per collection at a time. */
export const MAX_WAITING_PUSHES_PER_KIOSK = 8;

export class TooManyPushes extends Error {
  readonly statusCode = 429;
  constructor(kioskId: string) {
    super(
      `Kiosk ${kioskId} already has ${MAX_WAITING_PUSHES_PER_KIOSK} pushes waiting; nothing of this one was stored. ` +
        'It is sent again on the next retry; a kiosk that keeps getting this answer is pushing in a loop and should be checked.',
    );
  }
}

/**
 * Runs each kiosk's pushes one after another (in arrival order), different kiosks side by side.
 * Per-kiosk fairness: a kiosk pushing batches in a tight loop, however many at once, holds one
 * database connection and one turn at its site's lock, so the other kiosks keep their share.
 */
export class KioskPushQueue {
  private readonly tails = new Map<string, { done: Promise<void>; waiting: number }>();

  async run<T>(kioskId: string, push: () => Promise<T>): Promise<T> {
    const queue = this.tails.get(kioskId) ?? { done: Promise.resolve(), waiting: 0 };
    if (queue.waiting >= MAX_WAITING_PUSHES_PER_KIOSK) throw new TooManyPushes(kioskId);
    queue.waiting++;
    const result = queue.done.then(push);
    queue.done = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(kioskId, queue);
    try {
      return await result;
    } finally {
      queue.waiting--;
      if (queue.waiting === 0 && this.tails.get(kioskId) === queue) this.tails.delete(kioskId);
    }
  }
}
