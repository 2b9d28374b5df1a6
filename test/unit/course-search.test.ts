import { describe, expect, it } from 'vitest';
import { demoCourses } from '../../assets/demo-courses';
import { searchableCourses, searchCourses } from '../../renderer/learn/course-search';

const index = searchableCourses(demoCourses().map((c) => c.manifest));
const ids = (query: string) => searchCourses(index, query).map((c) => c.id);

describe('offline course search', () => {
  it('finds a course by Chinese text, full pinyin and pinyin initials', () => {
    expect(ids('广东菜')).toEqual(['cantonese-cuisine']);
    expect(ids('廣東菜')).toEqual(['cantonese-cuisine']);
    expect(ids('guangdongcai')).toEqual(['cantonese-cuisine']);
    expect(ids('gdc')).toEqual(['cantonese-cuisine']);
    expect(ids('GD C')).toEqual(['cantonese-cuisine']);
  });

  it('finds by English words and lists everything for an empty query', () => {
    expect(ids('smartphone')).toEqual(['smartphone-basics']);
    expect(ids('')).toHaveLength(3);
    expect(ids('zzzz')).toEqual([]);
  });
});
