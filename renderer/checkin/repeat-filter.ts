/**
 * A camera sees the same card in many frames in a row. Report a text once, then stay quiet about
 * it while it is still in view and for `quietMs` after it was last seen, so a learner who keeps
 * the card up is not told "already checked in" a moment after the welcome.
 */
export class RepeatFilter {
  private lastText: string | null = null;
  private lastSeenAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly quietMs: number) {}

  /** True when this sighting is new and should be acted on. */
  accept(text: string, at: number): boolean {
    const repeat = text === this.lastText && at - this.lastSeenAt <= this.quietMs;
    this.lastText = text;
    this.lastSeenAt = at;
    return !repeat;
  }
}
