import type { CourseImportProblemCode } from '../../../sync/protocol/course-import-api';

/** Why a course on a drive was refused; the message names the file or course and what to do. */
export class CourseImportError extends Error {
  constructor(
    readonly code: CourseImportProblemCode,
    message: string,
  ) {
    super(message);
  }
}
