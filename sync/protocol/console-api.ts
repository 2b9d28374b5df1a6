import { Type, type Static } from 'typebox';
import { Code, IsoDateTime } from './common';
import { KioskHeartbeat } from './kiosk-heartbeat';

/**
 * The operators' console API (`/console/api/...`): one schema per message, shared by the
 * platform's routes and the console web app.
 */

export const OperatorRole = Type.Union([Type.Literal('province-admin'), Type.Literal('site-manager')]);
export type OperatorRole = Static<typeof OperatorRole>;

export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const OperatorLogin = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' });

export const SignInBody = Type.Object(
  { login: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const SignedInOperator = Type.Object({
  id: Type.String(),
  login: Type.String(),
  displayName: Type.String(),
  role: OperatorRole,
  /** The sites a site manager runs; every site for a province admin. */
  siteIds: Type.Array(Code),
});
export type SignedInOperator = Static<typeof SignedInOperator>;

/** Answer to sign-in and to "who am I": the operator and the CSRF token every later call sends. */
export const ConsoleSession = Type.Object({ operator: SignedInOperator, csrfToken: Type.String() });
export type ConsoleSession = Static<typeof ConsoleSession>;

export { CSRF_HEADER } from './console-csrf';

export const NewOperatorBody = Type.Object(
  {
    login: OperatorLogin,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: OperatorRole,
    password: Type.String({ minLength: 12, maxLength: 200 }),
    siteIds: Type.Array(Code, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type NewOperatorBody = Static<typeof NewOperatorBody>;

export const ConsoleSite = Type.Object({ id: Code, name: Type.String() });
export type ConsoleSite = Static<typeof ConsoleSite>;

export const SiteIdParams = Type.Object({ siteId: Code });
export const SiteQuery = Type.Object({ siteId: Type.Optional(Code) }, { additionalProperties: false });

export const ConsoleEnrolmentRequest = Type.Object({
  userCode: Type.String(),
  kioskName: Type.String(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
export type ConsoleEnrolmentRequest = Static<typeof ConsoleEnrolmentRequest>;

export const ApproveEnrolmentBody = Type.Object(
  { userCode: Type.String({ minLength: 8, maxLength: 20 }), siteId: Code },
  { additionalProperties: false },
);
export const RefuseEnrolmentBody = Type.Object({ userCode: Type.String({ minLength: 8, maxLength: 20 }) }, { additionalProperties: false });

export const LearnerSearchQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
  { additionalProperties: false },
);

export const ConsoleLearner = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  homeSiteId: Type.String(),
  card: Type.Union([Type.Object({ serial: Type.Integer(), expiresAt: IsoDateTime }), Type.Null()]),
});
export type ConsoleLearner = Static<typeof ConsoleLearner>;

export const LearnersImportBody = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 10_000_000 }) }, { additionalProperties: false });
export const LearnersImportResult = Type.Object({
  imported: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
});
export type LearnersImportResult = Static<typeof LearnersImportResult>;

export const CardSerialParams = Type.Object({ serial: Type.Integer({ minimum: 0 }) });

export const ClassSessionQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false });

export const ConsoleClassSession = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  title: Type.String(),
  teacher: Type.String(),
  room: Type.String(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  status: Type.String(),
  seriesId: Type.Union([Type.String(), Type.Null()]),
});
export type ConsoleClassSession = Static<typeof ConsoleClassSession>;

/** A class a kiosk made offline, waiting for an operator; its check-ins are held until then. */
export const ConsoleProposedSession = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  proposedBy: Type.String(),
  title: Type.String(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  heldCheckIns: Type.Integer({ minimum: 0 }),
});
export type ConsoleProposedSession = Static<typeof ConsoleProposedSession>;

export const ProposalDecisionBody = Type.Object(
  { decision: Type.Union([Type.Literal('approve'), Type.Literal('refuse')]) },
  { additionalProperties: false },
);
export type ProposalDecisionBody = Static<typeof ProposalDecisionBody>;

export const NewClassSessionsBody = Type.Object(
  {
    siteId: Code,
    courseId: Type.Optional(Code),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    teacher: Type.Optional(Type.String({ maxLength: 100 })),
    room: Type.Optional(Type.String({ maxLength: 60 })),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    /** How many weeks the class repeats, this week included; 1 (the default) is a one-off session. */
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52 })),
  },
  { additionalProperties: false },
);
export type NewClassSessionsBody = Static<typeof NewClassSessionsBody>;

export const KioskHealthStatus = Type.Union([
  Type.Literal('healthy'),
  Type.Literal('never-seen'),
  Type.Literal('not-seen'),
  Type.Literal('clock-wrong'),
  Type.Literal('disk-nearly-full'),
  Type.Literal('records-stuck'),
  Type.Literal('revoked'),
]);
export type KioskHealthStatus = Static<typeof KioskHealthStatus>;

export const ConsoleKiosk = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  name: Type.String(),
  lastSeenAt: Type.Union([IsoDateTime, Type.Null()]),
  /** Every problem found, worst first; ['healthy'] when there is none. */
  health: Type.Array(Type.Object({ status: KioskHealthStatus, days: Type.Optional(Type.Integer()) })),
  heartbeat: Type.Union([KioskHeartbeat, Type.Null()]),
});
export type ConsoleKiosk = Static<typeof ConsoleKiosk>;

export const ReviewDecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('refuse')]),
    records: Type.Array(Type.Object({ type: Type.Union([Type.Literal('attendance'), Type.Literal('lesson')]), id: Type.String({ format: 'uuid' }) }), {
      minItems: 1,
      maxItems: 1000,
    }),
  },
  { additionalProperties: false },
);
export type ReviewDecisionBody = Static<typeof ReviewDecisionBody>;

export const LedgerRangeBody = Type.Object({ siteId: Code, from: Day, to: Day }, { additionalProperties: false });
export type LedgerRangeBody = Static<typeof LedgerRangeBody>;

export const ReportRangeQuery = Type.Object({ siteId: Type.Optional(Code), from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false });
export type ReportRangeQuery = Static<typeof ReportRangeQuery>;

export const ReportCsvParams = Type.Object({ report: Type.Union([Type.Literal('attendance'), Type.Literal('credits')]) });

export const ReportSummary = Type.Object({
  attendancePerWeek: Type.Array(Type.Object({ week: Day, siteId: Type.String(), attendances: Type.Integer() })),
  hoursPerCourse: Type.Array(Type.Object({ courseId: Type.String(), hours: Type.Number() })),
  activeLearnersPerWeek: Type.Array(Type.Object({ week: Day, learners: Type.Integer() })),
});
export type ReportSummary = Static<typeof ReportSummary>;

/** Every refusal the console API gives: a code the console translates and a message for logs and scripts. */
export const ConsoleError = Type.Object({ statusCode: Type.Integer(), error: Type.String(), code: Type.String(), message: Type.String() });
export type ConsoleError = Static<typeof ConsoleError>;
