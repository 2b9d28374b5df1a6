import { useEffect, useState } from 'react';
import type { CoursePackage } from '../../sync/protocol/course-package';
import { kioskHostPath, KioskHostRoutes, type CourseCacheStatus } from '../../sync/protocol/kiosk-host-api';

const POLL_MS = 1000;

/**
 * Asks the kiosk host to have the course on disk (a no-op when it already is; the host takes the
 * manifest from the platform's catalog) and follows the download until it is ready or has
 * failed. Lesson files are then played from /content/.
 */
export function useCourseCache(course: CoursePackage): CourseCacheStatus {
  const [status, setStatus] = useState<CourseCacheStatus>({ state: 'downloading', receivedBytes: 0, totalBytes: 0 });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = (await (await fetch(kioskHostPath(KioskHostRoutes.course, course.id))).json()) as CourseCacheStatus;
        if (stopped) return;
        setStatus(next);
        if (next.state === 'downloading') timer = setTimeout(() => void poll(), POLL_MS);
      } catch {
        if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
      }
    };
    void (async () => {
      try {
        const response = await fetch(kioskHostPath(KioskHostRoutes.courseOpen, course.id), { method: 'POST' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        if (!stopped) await poll();
      } catch {
        if (!stopped) setStatus({ state: 'failed', receivedBytes: 0, totalBytes: 0 });
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [course]);
  return status;
}
