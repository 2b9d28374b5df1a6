import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Read from disk, not through Vite's import.meta.glob, so a catalog file the renderer fails to
// pick up is still checked.
const root = fileURLToPath(new URL('../../renderer/i18n/catalogs/', import.meta.url));
const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;

function flatten(value: unknown, prefix: string, into: Map<string, unknown>) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
}

function load(language: string): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  for (const file of readdirSync(`${root}${language}`).filter((f) => f.endsWith('.json'))) {
    const section = file.slice(0, -'.json'.length);
    flatten(JSON.parse(readFileSync(`${root}${language}/${file}`, 'utf8')), section, keys);
  }
  return keys;
}

function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();
}

const catalogs = Object.fromEntries(LANGUAGES.map((l) => [l, load(l)])) as Record<(typeof LANGUAGES)[number], Map<string, unknown>>;
const allKeys = [...new Set(LANGUAGES.flatMap((l) => [...catalogs[l].keys()]))].sort();

describe('message catalogs', () => {
  it('have files for every language', () => {
    for (const language of LANGUAGES) expect(catalogs[language].size).toBeGreaterThan(0);
  });

  it.each(LANGUAGES)('%s has every key some language has', (language) => {
    expect(allKeys.filter((key) => !catalogs[language].has(key))).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty or non-text messages', (language) => {
    const bad = [...catalogs[language]].filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('uses the same interpolation variables in every language', () => {
    const mismatched = allKeys.filter((key) => {
      const found = LANGUAGES.map((l) => JSON.stringify(variables(String(catalogs[l].get(key) ?? ''))));
      return new Set(found).size > 1;
    });
    expect(mismatched).toEqual([]);
  });
});
