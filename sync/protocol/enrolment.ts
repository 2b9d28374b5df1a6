import { Type, type Static } from 'typebox';
import { Code, Id, IsoDateTime } from './common';
import { BundlePublicKey } from './record-bundle';

/**
 * The messages between a kiosk enrolling itself and the platform: by a code from the platform
 * (POST /enrol) or by a request an admin approves (POST /enrol/requests, then polls).
 */

/** What an enrolment code's QR holds before the code itself, so scanners can tell it from a learner card (`YX:`). */
export const ENROLMENT_CODE_PREFIX = 'YXENROL:';

export const KioskName = Type.String({ minLength: 1, maxLength: 100 });

/**
 * Who asks to be enrolled: its name, and the public half of the Ed25519 key it signs USB record
 * bundles with (record-bundle.ts), registered at enrolment so a kiosk that never syncs again can
 * still carry its records by drive. Optional: kiosks built before bundles register it on a sync.
 */
export const NewKiosk = Type.Object({ kioskName: KioskName, bundlePublicKey: Type.Optional(BundlePublicKey) }, { additionalProperties: false });
export type NewKiosk = Static<typeof NewKiosk>;

export const EnrolBody = Type.Object(
  { code: Type.String({ minLength: 4, maxLength: 100 }), kioskName: KioskName, bundlePublicKey: Type.Optional(BundlePublicKey) },
  { additionalProperties: false },
);

/** What a kiosk gets once, when it is enrolled; it sends the credential as a Bearer token on every sync request. */
export const EnrolledKiosk = Type.Object({ kioskId: Code, siteId: Code, credential: Type.String({ minLength: 3 }) }, { additionalProperties: false });
export type EnrolledKiosk = Static<typeof EnrolledKiosk>;

export const EnrolmentRequestBody = NewKiosk;

export const EnrolmentRequestCreated = Type.Object(
  {
    requestId: Id,
    /** XXXX-XXXX, for people: shown on the kiosk and typed or scanned by the admin. */
    userCode: Type.String({ pattern: '^[A-Z]{4}-[A-Z]{4}$' }),
    /** Held by the kiosk alone; proves a poll comes from the kiosk that made the request. */
    pollSecret: Type.String({ minLength: 16, maxLength: 200 }),
    expiresAt: IsoDateTime,
  },
  { additionalProperties: false },
);
export type EnrolmentRequestCreated = Static<typeof EnrolmentRequestCreated>;

export const EnrolmentRequestParams = Type.Object({ id: Id });
export const EnrolmentPollBody = Type.Object({ pollSecret: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const EnrolmentPollAnswer = Type.Union([
  Type.Object({ status: Type.Literal('pending') }, { additionalProperties: false }),
  Type.Object({ status: Type.Literal('refused') }, { additionalProperties: false }),
  Type.Object({ status: Type.Literal('enrolled'), ...EnrolledKiosk.properties }, { additionalProperties: false }),
]);
export type EnrolmentPollAnswer = Static<typeof EnrolmentPollAnswer>;
