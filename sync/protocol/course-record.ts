import { Type, type Static } from 'typebox';
import { ReplicationFields } from './common';
import { CoursePackage } from './course-package';

/** The platform's catalog entry for one course, pulled by every kiosk; the manifest says what to download. */
export const CourseRecord = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    version: Type.Integer({ minimum: 1 }),
    manifest: CoursePackage,
    ...ReplicationFields,
  },
  { additionalProperties: false },
);
export type CourseRecord = Static<typeof CourseRecord>;
