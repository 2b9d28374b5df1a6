import { pinyin } from 'pinyin-pro';
import type { CoursePackage } from '../../sync/protocol/course-package';

export interface SearchableCourse {
  course: CoursePackage;
  /** Titles and summaries in every language, lower case. */
  text: string;
  /** Full pinyin of the Chinese titles without tones or spaces ("guangdongcai…"). */
  spelled: string;
  /** Pinyin initials of the Chinese titles ("gdc…"), how seniors often type on a pinyin keyboard. */
  initials: string;
}

function compact(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

/**
 * Pinyin is worked out once per course when the catalog changes, so each keystroke is only a
 * substring scan: a few milliseconds over ten thousand courses, fully offline.
 */
export function searchableCourses(courses: CoursePackage[]): SearchableCourse[] {
  return courses.map((course) => {
    const chinese = `${course.title['zh-CN']} ${course.title['zh-HK']}`;
    return {
      course,
      text: compact([...Object.values(course.title), ...Object.values(course.summary), course.provider].join(' ')),
      spelled: compact(pinyin(chinese, { toneType: 'none', type: 'array' }).join('')),
      initials: compact(pinyin(chinese, { pattern: 'first', toneType: 'none', type: 'array' }).join('')),
    };
  });
}

/** Courses whose text, pinyin or pinyin initials contain the query; an empty query finds all. */
export function searchCourses(index: SearchableCourse[], query: string): CoursePackage[] {
  const q = compact(query);
  if (q === '') return index.map((entry) => entry.course);
  return index.filter((e) => e.text.includes(q) || e.spelled.includes(q) || e.initials.includes(q)).map((e) => e.course);
}
