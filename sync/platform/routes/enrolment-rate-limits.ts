/**
 * The enrolment routes answer anyone: limit each client address so a script cannot fill the
 * requests table or guess codes and admin tokens at speed. Generous for real use (a site's
 * kiosks behind one NAT, a kiosk polling every few seconds); counted per platform instance.
 */
export const ENROLMENT_RATE_LIMITS = {
  /** New enrolment requests, and enrolments with a code. */
  enrol: { max: 20, timeWindow: '1 minute' },
  /** A kiosk polls its request every few seconds. */
  poll: { max: 120, timeWindow: '1 minute' },
  /** The approval page's form, which checks the admin token. */
  approve: { max: 30, timeWindow: '1 minute' },
} as const;
