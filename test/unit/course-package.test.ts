import { describe, expect, it } from 'vitest';
import { demoCourses } from '../../assets/demo-courses';
import { parseCoursePackage } from '../../sync/protocol/course-package';

const valid = () => structuredClone(demoCourses()[0]!.manifest);

describe('course package manifest', () => {
  it('accepts every demo course', () => {
    for (const { manifest } of demoCourses()) expect(parseCoursePackage(manifest)).toBe(manifest);
  });

  it('names the field that is wrong', () => {
    expect(() => parseCoursePackage({ ...valid(), category: 'cooking' })).toThrow(/\/category/);
    const missingHk = valid();
    delete (missingHk.title as Partial<typeof missingHk.title>)['zh-HK'];
    expect(() => parseCoursePackage(missingHk)).toThrow(/\/title/);
    expect(() => parseCoursePackage({ ...valid(), format: 2 })).toThrow(/\/format/);
  });

  it('refuses file names that could leave the course folder, and duplicate lessons', () => {
    const escape = valid();
    escape.lessons[0]!.file = '../../etc/passwd';
    expect(() => parseCoursePackage(escape)).toThrow(/\/lessons\/0\/file/);
    const twice = valid();
    twice.lessons.push(twice.lessons[0]!);
    expect(() => parseCoursePackage(twice)).toThrow(/appears twice/);
  });

  it('insists subtitles are WebVTT', () => {
    const srt = valid();
    srt.lessons[0]!.subtitles!.file = 'captions.srt';
    expect(() => parseCoursePackage(srt)).toThrow(/WebVTT/);
  });
});
