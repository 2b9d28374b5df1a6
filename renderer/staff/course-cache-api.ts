import type { CoursePackage } from '../../sync/protocol/course-package';
import { kioskHostPath, KioskHostRoutes, type CacheListing } from '../../sync/protocol/kiosk-host-api';
import { staffFetch } from './staff-session';

/** Why a staff action did not happen; the screen turns it into catalog text. */
export type CacheActionOutcome = 'ok' | 'still-downloading' | 'failed';

export async function fetchCacheListing(): Promise<CacheListing> {
  const response = await staffFetch(KioskHostRoutes.courses);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as CacheListing;
}

async function outcome(request: Promise<Response>): Promise<CacheActionOutcome> {
  try {
    const response = await request;
    if (response.ok) return 'ok';
    return response.status === 409 ? 'still-downloading' : 'failed';
  } catch {
    return 'failed';
  }
}

const json = { 'content-type': 'application/json' };

export function startDownload(course: CoursePackage): Promise<CacheActionOutcome> {
  return outcome(staffFetch(kioskHostPath(KioskHostRoutes.courseDownload, course.id), { method: 'POST', headers: json, body: JSON.stringify(course) }));
}

export function setPinned(courseId: string, pinned: boolean): Promise<CacheActionOutcome> {
  return outcome(staffFetch(kioskHostPath(KioskHostRoutes.coursePin, courseId), { method: 'PUT', headers: json, body: JSON.stringify({ pinned }) }));
}

export function removeCourse(courseId: string): Promise<CacheActionOutcome> {
  return outcome(staffFetch(kioskHostPath(KioskHostRoutes.course, courseId), { method: 'DELETE' }));
}

/**
 * Storage in megabytes, written the way the kiosk's current language writes numbers and units;
 * three significant digits so a small audio course does not read as "0 MB".
 */
export function formatMegabytes(bytes: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'unit', unit: 'megabyte', maximumSignificantDigits: 3 }).format(bytes / 1_000_000);
}
