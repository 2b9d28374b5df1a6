import { Type, type Static } from 'typebox';
import { Code, IsoDateTime, ReplicationFields } from './common';

/**
 * A public key the platform signs learner cards with. A retired key no longer verifies cards,
 * an active or rotated-out ("verify-only") key does.
 */
export const IssuerKey = Type.Object(
  {
    id: Code,
    publicKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('verify-only'), Type.Literal('retired')]),
    createdAt: IsoDateTime,
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type IssuerKey = Static<typeof IssuerKey>;

/** A learner card serial that must no longer be accepted (lost, replaced, withdrawn). */
export const CardRevocation = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9]+$', maxLength: 12 }),
    learnerId: Code,
    revokedAt: IsoDateTime,
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type CardRevocation = Static<typeof CardRevocation>;
