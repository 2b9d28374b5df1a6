import type { CoursePackage } from '../../sync/protocol/course-package';
import { compact, matchesKeys, searchKeys, type SearchKeys } from '../search/search-keys';

export interface SearchableCourse extends SearchKeys {
  course: CoursePackage;
}

/** Titles and summaries in every language, and the pinyin of the Chinese titles. */
export function searchableCourses(courses: CoursePackage[]): SearchableCourse[] {
  return courses.map((course) => ({
    course,
    ...searchKeys(
      [...Object.values(course.title), ...Object.values(course.summary), course.provider].join(' '),
      `${course.title['zh-CN']} ${course.title['zh-HK']}`,
    ),
  }));
}

/** Courses whose text, pinyin or pinyin initials contain the query; an empty query finds all. */
export function searchCourses(index: SearchableCourse[], query: string): CoursePackage[] {
  const q = compact(query);
  if (q === '') return index.map((entry) => entry.course);
  return index.filter((entry) => matchesKeys(entry, q)).map((entry) => entry.course);
}
