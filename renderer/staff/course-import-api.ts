import { CourseImportRoutes, type CourseImportStatus, type CourseSourcesAnswer } from '../../sync/protocol/course-import-api';
import { staffFetch } from './staff-session';

/** The drives and folders the host sees, with the course exports on each. */
export async function fetchCourseSources(): Promise<CourseSourcesAnswer> {
  const response = await staffFetch(CourseImportRoutes.sources);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as CourseSourcesAnswer;
}

export async function fetchImportStatus(): Promise<CourseImportStatus> {
  const response = await staffFetch(CourseImportRoutes.imports);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as CourseImportStatus;
}

/** Why an import did not start: the drive went away, another import runs, or the export is unfinished. */
export type StartImportOutcome = 'ok' | 'gone' | 'busy' | 'unfinished' | 'failed';

export async function startCourseImport(exportPath: string, courseIds: string[]): Promise<StartImportOutcome> {
  try {
    const response = await staffFetch(CourseImportRoutes.imports, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exportPath, courseIds }),
    });
    if (response.ok) return 'ok';
    if (response.status === 404) return 'gone';
    if (response.status === 409) return 'busy';
    if (response.status === 422) return 'unfinished';
    return 'failed';
  } catch {
    return 'failed';
  }
}
