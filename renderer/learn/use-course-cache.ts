import { useEffect, useState } from 'react';
import type { CoursePackage } from '../../sync/protocol/course-package';
import type { CourseCacheStatus } from '../../electron/host/course-cache/course-downloads';

const POLL_MS = 1000;

/**
 * Asks the kiosk host to have the course on disk (a no-op when it already is) and follows the
 * download until it is ready or has failed. Lesson files are then played from /content/.
 */
export function useCourseCache(course: CoursePackage): CourseCacheStatus {
  const [status, setStatus] = useState<CourseCacheStatus>({ state: 'downloading', receivedBytes: 0, totalBytes: 0 });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = (await (await fetch(`/kiosk/courses/${course.id}`)).json()) as CourseCacheStatus;
        if (stopped) return;
        setStatus(next);
        if (next.state === 'downloading') timer = setTimeout(() => void poll(), POLL_MS);
      } catch {
        if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
      }
    };
    void (async () => {
      try {
        const response = await fetch(`/kiosk/courses/${course.id}/download`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(course),
        });
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
