import { Type, type Static } from 'typebox';
import { ClassSessionStatus } from '../../protocol/class-session';
import { Code, Id, IsoDateTime } from '../../protocol/common';
import { CoursePackage } from '../../protocol/course-package';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const NewSiteBody = Type.Object({ id: Code, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const EnrolmentCodeBody = Type.Object(
  { siteId: Code, ttlHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30 })) },
  { additionalProperties: false },
);

export const ApproveEnrolmentRequestBody = Type.Object(
  { userCode: Type.String({ minLength: 8, maxLength: 20 }), siteId: Code },
  { additionalProperties: false },
);
export const RefuseEnrolmentRequestBody = Type.Object({ userCode: Type.String({ minLength: 8, maxLength: 20 }) }, { additionalProperties: false });

/** A course import is a whole course package, checked by the schema kiosks check it against. */
export const CourseManifestBody = CoursePackage;

export const SignedCoursesBody = Type.Object({ courseIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 }) }, { additionalProperties: false });

export const LearnersCsvBody = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 10_000_000 }) }, { additionalProperties: false });

export const NewClassSessionBody = Type.Object(
  {
    siteId: Code,
    courseId: Type.Optional(Code),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    teacher: Type.Optional(Type.String({ maxLength: 100 })),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: Type.Optional(ClassSessionStatus),
    roster: Type.Optional(Type.Array(Code, { maxItems: 2000 })),
  },
  { additionalProperties: false },
);

export const ClassSessionStatusBody = Type.Object({ status: ClassSessionStatus }, { additionalProperties: false });

export const LedgerConfirmBody = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 10_000 })), siteId: Type.Optional(Code), throughDay: Type.Optional(Day) },
  { additionalProperties: false },
);

export const LedgerRecomputeBody = Type.Object({ apply: Type.Boolean() }, { additionalProperties: false });

export const ReportQuery = Type.Object(
  { siteId: Type.Optional(Code), from: Type.Optional(Day), to: Type.Optional(Day) },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

export const SiteParams = Type.Object({ siteId: Code });
export const KioskParams = Type.Object({ kioskId: Code });
export const SerialParams = Type.Object({ serial: Type.Integer({ minimum: 0 }) });
export const IssuerKeyParams = Type.Object({ keyId: Code });
export const RotateIssuerKeyBody = Type.Object({ id: Type.Optional(Code) }, { additionalProperties: false });
export const SessionParams = Type.Object({ sessionId: Id });
export const ReportParams = Type.Object({ report: Type.Union([Type.Literal('attendance'), Type.Literal('credits')]) });
export const RecordParams = Type.Object({ recordId: Id });
export const ReviewQuery = Type.Object({ siteId: Type.Optional(Code) }, { additionalProperties: false });
export type ReviewQuery = Static<typeof ReviewQuery>;
