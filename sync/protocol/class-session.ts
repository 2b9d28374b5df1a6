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
 * Where the platform stands on a session: its own are `approved`; a session a kiosk made offline
 * is `proposed` until an operator approves or refuses it. Check-ins into a session not approved
 * are stored and held for review ('session-not-approved'), earning nothing until approval.
 */
export const ClassSessionApproval = Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('refused')]);
export type ClassSessionApproval = Static<typeof ClassSessionApproval>;

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
    /** The course the class teaches, when it follows one of the catalog's courses. */
    courseId: Type.Optional(Code),
    teacher: Type.String({ maxLength: 100 }),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: ClassSessionStatus,
    statusVersion: Type.Integer({ minimum: 0 }),
    /** When check-in opens (the platform stamps it from its rule); it closes at `endsAt`. */
    checkInOpensAt: IsoDateTime,
    roster: Type.Array(Code, { maxItems: 2000 }),
    /** The kiosk that made this session offline; absent on sessions the platform planned. */
    proposedBy: Type.Optional(Code),
    /** Set by the platform (a kiosk proposing a session sends 'proposed'); absent means approved. */
    approval: Type.Optional(ClassSessionApproval),
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type ClassSession = Static<typeof ClassSession>;

/** A session whose check-ins the platform credits: its own, or a proposed one it approved. */
export function isApprovedSession(session: Pick<ClassSession, 'approval'>): boolean {
  return session.approval === undefined || session.approval === 'approved';
}

/**
 * The platform's answer to one pushed session: the stored session, or, for a session the
 * platform cannot take (not a proposal of this kiosk, or with times that make no sense), the
 * session as pushed with `refusal` set. The kiosk keeps a refused session aside, as it does refused records.
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
