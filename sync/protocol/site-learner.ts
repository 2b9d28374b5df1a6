import { Type, type Static } from 'typebox';
import { Code, IsoDateTime, ReplicationFields } from './common';

/**
 * A learner of the kiosk's site, as staff see them: the name for manual check-in by name, and
 * the current card so staff can show it on screen to a learner who forgot theirs. A learner who
 * moves to another site arrives at the old site's kiosks as a deletion.
 */
export const SiteLearner = Type.Object(
  {
    id: Code,
    displayName: Type.String({ minLength: 1, maxLength: 40 }),
    /** The newest card neither revoked nor signed by a retired key; absent until the platform has issued one. */
    card: Type.Optional(
      Type.Object(
        {
          serial: Type.Integer({ minimum: 0 }),
          /** The signed QR text (`YX:...`), exactly as printed. */
          text: Type.String({ minLength: 4, maxLength: 400 }),
          expiresAt: IsoDateTime,
        },
        { additionalProperties: false },
      ),
    ),
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type SiteLearner = Static<typeof SiteLearner>;
