import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../renderer/i18n/catalogs/', import.meta.url).pathname;
const languages = readdirSync(root).sort();

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function catalog(language: string): Record<string, string[]> {
  return Object.fromEntries(
    readdirSync(join(root, language))
      .sort()
      .map((file) => [file, keys(JSON.parse(readFileSync(join(root, language, file), 'utf8'))).sort()]),
  );
}

describe('message catalogs', () => {
  it('has the three kiosk languages', () => {
    expect(languages).toEqual(['en', 'zh-CN', 'zh-HK']);
  });

  it.each(languages.filter((l) => l !== 'zh-CN'))('%s has the same sections and keys as zh-CN', (language) => {
    expect(catalog(language)).toEqual(catalog('zh-CN'));
  });
});
