import { Type, type Static } from 'typebox';
import { Code, Id, IsoDateTime, ReplicationFields } from './common';

export const CreditSourceType = Type.Union([
  Type.Literal('attendance'),
  Type.Literal('lesson'),
  Type.Literal('course'),
]);
export type CreditSourceType = Static<typeof CreditSourceType>;

/** The platform's record of hours earned by one source record; kiosks only read it. */
export const CreditLedgerEntry = Type.Object(
  {
    id: Id,
    learnerId: Code,
    sourceType: CreditSourceType,
    sourceId: Id,
    hours: Type.Number({ minimum: 0 }),
    credits: Type.Number({ minimum: 0 }),
    status: Type.Union([Type.Literal('provisional'), Type.Literal('confirmed')]),
    earnedOn: Type.String({ format: 'date' }),
    createdAt: IsoDateTime,
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type CreditLedgerEntry = Static<typeof CreditLedgerEntry>;
