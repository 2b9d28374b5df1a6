import { Type, type Static } from 'typebox';
import { Code, Id, IsoDateTime, ReplicationFields } from './common';
import { RecordRefusal } from './sync-outcome';

export const ClassSessionStatus = Type.Union([
  Type.Literal('planned'),
  Type.Literal('open'),
  Type.Literal('closed'),
]);
export type ClassSessionStatus = Static<typeof ClassSessionStatus>;

/**
 * A scheduled class at one site; its length in hours is what attendance earns. The platform owns
 * everything but `status`: a kiosk changes only open/closed, and each change it makes carries
 * `statusVersion` one above the version it saw. The platform takes a status only with a version
 * above the one it holds (the first to reach a version wins), so a stale push replayed late can
 * never reopen a class staff closed since; every push is answered with the stored session.
 */
export const ClassSession = Type.Object(
  {
    id: Id,
    siteId: Code,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    teacher: Type.String({ maxLength: 100 }),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: ClassSessionStatus,
    statusVersion: Type.Integer({ minimum: 0 }),
    /** When check-in opens (the platform stamps it from its rule); it closes at `endsAt`. */
    checkInOpensAt: IsoDateTime,
    roster: Type.Array(Code, { maxItems: 2000 }),
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type ClassSession = Static<typeof ClassSession>;

/**
 * The platform's answer to one pushed session: the stored session, or, for a session the
 * platform does not have (kiosk-proposed sessions are not taken yet), the session as pushed with
 * `refusal` set. The kiosk keeps a refused session aside, as it does refused records.
 */
export const ClassSessionAnswer = Type.Object(
  { ...ClassSession.properties, refusal: Type.Optional(RecordRefusal) },
  { additionalProperties: false },
);
export type ClassSessionAnswer = Static<typeof ClassSessionAnswer>;

/** A class session earns its scheduled length, in quarter hours (kiosk shows it, platform credits it). */
export function scheduledHours(startsAt: Date, endsAt: Date): number {
  return Math.round((endsAt.getTime() - startsAt.getTime()) / 900_000) / 4;
}

/** The one check-in window rule, for the kiosk (may it check in now?) and the platform (re-check on upload). */
export function isInsideCheckInWindow(session: Pick<ClassSession, 'checkInOpensAt' | 'endsAt'>, at: Date): boolean {
  const t = at.getTime();
  return t >= Date.parse(session.checkInOpensAt) && t <= Date.parse(session.endsAt);
}

/** A session past its end no longer takes check-ins; the kiosk closes it by itself. */
export function hasEnded(session: Pick<ClassSession, 'endsAt'>, at: Date): boolean {
  return at.getTime() > Date.parse(session.endsAt);
}
