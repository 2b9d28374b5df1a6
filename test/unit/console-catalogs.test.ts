import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../console/', import.meta.url));
const LANGUAGES = ['zh-CN', 'zh-HK', 'en'] as const;

function flatten(value: unknown, prefix: string, into: Map<string, string>) {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, String(value));
  }
}

function catalog(language: string): Map<string, string> {
  const keys = new Map<string, string>();
  flatten(JSON.parse(readFileSync(`${root}i18n/${language}.json`, 'utf8')), '', keys);
  return keys;
}

const variables = (text: string) => [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();

/** Every t('…') key written out literally in the console's source. */
function literalKeys(): string[] {
  const keys = new Set<string>();
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
  for (const file of files) {
    for (const match of readFileSync(`${root}${file}`, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)) keys.add(match[1]!);
  }
  return [...keys];
}

describe('console message catalogs', () => {
  it('have the same keys, with the same variables, in zh-CN, zh-HK and en', () => {
    const [first, ...rest] = LANGUAGES.map(catalog);
    for (const other of rest) {
      expect([...other.keys()].sort()).toEqual([...first!.keys()].sort());
      for (const [key, text] of first!) expect(`${key}: ${variables(other.get(key)!)}`).toBe(`${key}: ${variables(text)}`);
    }
  });

  it('hold every key the console source uses literally, and a message for every refusal code', () => {
    const keys = catalog('en');
    expect(literalKeys().filter((key) => !keys.has(key))).toEqual([]);
    const routes = readFileSync(fileURLToPath(new URL('../../sync/platform/console/console-routes.ts', import.meta.url)), 'utf8');
    const codes = [...routes.matchAll(/new ConsoleRefusal\(\d+, '([\w-]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(5);
    expect(codes.filter((code) => !keys.has(`errors.${code}`))).toEqual([]);
  });
});
