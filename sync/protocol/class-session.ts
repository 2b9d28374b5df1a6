import { Type, type Static } from 'typebox';
import { Code, Id, IsoDateTime, ReplicationFields } from './common';

export const ClassSessionStatus = Type.Union([
  Type.Literal('planned'),
  Type.Literal('open'),
  Type.Literal('closed'),
]);
export type ClassSessionStatus = Static<typeof ClassSessionStatus>;

/** A scheduled class at one site; its length in hours is what attendance earns. */
export const ClassSession = Type.Object(
  {
    id: Id,
    siteId: Code,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    teacher: Type.String({ maxLength: 100 }),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: ClassSessionStatus,
    roster: Type.Array(Code, { maxItems: 2000 }),
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type ClassSession = Static<typeof ClassSession>;

/** A class session earns its scheduled length, in quarter hours (kiosk shows it, platform credits it). */
export function scheduledHours(startsAt: Date, endsAt: Date): number {
  return Math.round((endsAt.getTime() - startsAt.getTime()) / 900_000) / 4;
}
