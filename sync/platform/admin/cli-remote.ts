import { readFile, writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';
import type { PlatformRunFile } from '../platform-run-file';
import { openRecordReceipt } from '../../protocol/record-bundle';
import { readBundleFile, writeReceiptAndReport } from './bundle-import';
import { issuerKeyReports } from './issuer-keys';

/** The admin CLI's parsed command line, as cli.ts parsed it. */
export interface CliCommand {
  key: string;
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
  /** Asks for the operator's password (or reads it from the environment). */
  password(): Promise<string>;
}

export class RemoteRefusal extends Error {}

/**
 * The admin CLI's commands through a running platform's admin API, for when that platform owns
 * the embedded database (see platform-run-file.ts). Same commands, same output, same exit codes
 * as on the database; the platform's own checks and messages apply.
 */
export async function runThroughPlatform(run: PlatformRunFile, command: CliCommand, usageError: (message: string) => Error): Promise<number> {
  const { flags, positionals } = command;
  const text = (name: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const required = (name: string): string => {
    const value = text(name);
    if (!value) throw usageError(`--${name} is required.`);
    return value;
  };
  const positional = (index: number, what: string): string => {
    const value = positionals[index];
    if (!value) throw usageError(`${what} is required.`);
    return value;
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${run.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${run.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: unknown) => {
      // Never fall back to opening the database: the running platform owns it.
      throw new RemoteRefusal(`A platform (pid ${run.pid}) runs on this data folder but does not answer at ${run.url} (${(error as Error).message}). Wait for it to start, or stop it.`);
    });
    const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
    const answer: unknown = isJson ? await response.json() : await response.text();
    if (!response.ok) throw new RemoteRefusal((answer as { message?: string }).message ?? `HTTP ${response.status}`);
    return answer as T;
  };
  const output = async (content: string) => {
    const out = text('out');
    if (out) {
      await writeFile(out, content);
      console.log(`Wrote ${out}`);
    } else {
      process.stdout.write(content);
    }
  };
  const list = (name: string) => (text(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const range = () => new URLSearchParams(Object.entries({ siteId: text('site'), from: text('from'), to: text('to') }).filter((e): e is [string, string] => !!e[1])).toString();

  switch (command.key) {
    case 'site add':
      await call('POST', '/admin/sites', { id: required('id'), name: required('name') });
      console.log(`Site ${flags.id} created.`);
      return 0;
    case 'enrol-code': {
      const code = await call<{ siteId: string; code: string; expiresAt: string; qrSvg: string }>('POST', '/admin/enrolment-codes', {
        siteId: required('site'),
        ...(text('ttl-hours') ? { ttlHours: Number(text('ttl-hours')) } : {}),
      });
      console.log(`Enrolment code for ${code.siteId}: ${code.code}  (single use, expires ${code.expiresAt})`);
      const out = text('out');
      if (out) await writeFile(out, code.qrSvg);
      else console.log(await QRCode.toString(`YXENROL:${code.code}`, { type: 'terminal', small: true }));
      return 0;
    }
    case 'enrol-request list': {
      const pending = await call<{ userCode: string; kioskName: string; createdAt: string; expiresAt: string }[]>('GET', '/admin/enrolment-requests');
      for (const r of pending) console.log(`${r.userCode}  ${r.kioskName}  asked ${r.createdAt}, expires ${r.expiresAt}`);
      console.log(`${pending.length} kiosk(s) waiting for approval.`);
      return 0;
    }
    case 'enrol-request approve': {
      const approved = await call<{ kioskName: string; userCode: string; siteId: string }>('POST', '/admin/enrolment-requests/approve', {
        userCode: positional(2, 'CODE'),
        siteId: required('site'),
      });
      console.log(`Approved: kiosk "${approved.kioskName}" (${approved.userCode}) enrols to ${approved.siteId} on its next poll.`);
      return 0;
    }
    case 'enrol-request refuse': {
      const refused = await call<{ kioskName: string; userCode: string }>('POST', '/admin/enrolment-requests/refuse', { userCode: positional(2, 'CODE') });
      console.log(`Refused: kiosk "${refused.kioskName}" (${refused.userCode}) will not be enrolled.`);
      return 0;
    }
    case 'kiosk revoke':
      await call('POST', `/admin/kiosks/${encodeURIComponent(positional(2, 'KIOSK_ID'))}/revoke`);
      console.log(`Kiosk ${positionals[2]} revoked; its next sync is refused.`);
      return 0;
    case 'course import': {
      const manifest = JSON.parse(await readFile(positional(2, 'MANIFEST.json'), 'utf8')) as { id: string; version: number };
      await call('POST', '/admin/courses', manifest);
      console.log(`Course ${manifest.id} version ${manifest.version} imported.`);
      return 0;
    }
    case 'learners import': {
      const result = await call<{ imported: number; errors: { line: number; message: string }[] }>('POST', '/admin/learners/import', {
        csv: await readFile(positional(2, 'FILE.csv'), 'utf8'),
      });
      console.log(`${result.imported} learner(s) imported.`);
      for (const error of result.errors) console.error(`line ${error.line}: ${error.message}`);
      return result.errors.length > 0 ? 1 : 0;
    }
    case 'cards': {
      const siteId = encodeURIComponent(required('site'));
      const cards = await call<{ learnerId: string; displayName: string; serial: number; expiresAt: string; text: string }[]>('POST', `/admin/sites/${siteId}/cards`);
      if (text('out')) {
        await output(await call<string>('GET', `/admin/sites/${siteId}/cards.html`));
        return 0;
      }
      for (const card of cards) {
        console.log(`${card.learnerId}  ${card.displayName}  card ${card.serial}  valid to ${card.expiresAt.slice(0, 10)}`);
        console.log(await QRCode.toString(card.text, { type: 'terminal', small: true }));
      }
      console.log(`${cards.length} card(s). Add --out cards.html for a printable A4 sheet.`);
      return 0;
    }
    case 'card revoke':
      await call('POST', `/admin/cards/${encodeURIComponent(positional(2, 'SERIAL'))}/revoke`);
      console.log(`Card ${positionals[2]} revoked; kiosks refuse it after their next pull.`);
      return 0;
    case 'issuer-key list':
      console.log(issuerKeyReports.list(await call('GET', '/admin/issuer-keys')));
      return 0;
    case 'issuer-key rotate':
      console.log(issuerKeyReports.rotated(await call('POST', '/admin/issuer-keys/rotate', text('id') === undefined ? {} : { id: text('id') })));
      return 0;
    case 'issuer-key retire':
      console.log(issuerKeyReports.retired(await call('POST', `/admin/issuer-keys/${encodeURIComponent(positional(2, 'KEY_ID'))}/retire`)));
      return 0;
    case 'session add': {
      const status = text('status') ?? 'planned';
      if (status !== 'planned' && status !== 'open') throw usageError('--status must be planned or open.');
      const { id } = await call<{ id: string }>('POST', '/admin/class-sessions', {
        siteId: required('site'),
        title: required('title'),
        startsAt: new Date(required('starts')).toISOString(),
        endsAt: new Date(required('ends')).toISOString(),
        ...(text('teacher') ? { teacher: text('teacher') } : {}),
        ...(text('course') ? { courseId: text('course') } : {}),
        status,
        roster: list('roster'),
      });
      console.log(`Class session ${id} created; the site's kiosks get it on their next pull.`);
      return 0;
    }
    case 'ledger confirm': {
      const { confirmed } = await call<{ confirmed: number }>('POST', '/admin/ledger/confirm', {
        ...(text('site') ? { siteId: text('site') } : {}),
        ...(text('through') ? { throughDay: text('through') } : {}),
      });
      console.log(`${confirmed} ledger entries confirmed.`);
      return 0;
    }
    case 'ledger recompute': {
      const result = await call<{ checked: number; differences: unknown[]; repaired: number }>('POST', '/admin/ledger/recompute', { apply: flags.apply === true });
      for (const difference of result.differences) console.log(JSON.stringify(difference));
      console.log(`${result.checked} attendance record(s) checked, ${result.differences.length} difference(s), ${result.repaired} repaired.`);
      return result.differences.length > 0 && flags.apply !== true ? 1 : 0;
    }
    case 'report attendance':
    case 'report credits':
      await output(await call<string>('GET', `/admin/reports/${command.key.split(' ')[1]}.csv?${range()}`));
      return 0;
    case 'xapi': {
      const { statements } = await call<{ statements: unknown[] }>('GET', `/admin/xapi/statements?${range()}`);
      await output(`${JSON.stringify(statements, null, 2)}\n`);
      return 0;
    }
    case 'bundle import': {
      const file = positional(2, 'FILE');
      const response = await fetch(`${run.url}/admin/record-bundles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${run.adminToken}`, 'content-type': 'application/octet-stream' },
        body: Buffer.from(await readBundleFile(file)),
      });
      if (!response.ok) throw new RemoteRefusal(((await response.json()) as { message?: string }).message ?? `HTTP ${response.status}`);
      const receipt = new Uint8Array(await response.arrayBuffer());
      const { body } = openRecordReceipt(receipt);
      await writeReceiptAndReport(file, text('receipt'), {
        kioskId: body.kioskId,
        bundleSeq: body.bundleSeq,
        recordCount: Number(response.headers.get('x-yuexue-bundle-records')),
        receipt,
        receiptRecords: body.records,
      });
      return 0;
    }
    case 'operator add': {
      const role = required('role');
      if (role !== 'province-admin' && role !== 'site-manager') throw usageError('--role must be province-admin or site-manager.');
      const siteIds = list('site');
      const operator = await call<{ login: string; role: string }>('POST', '/admin/operators', {
        login: required('login'),
        displayName: required('name'),
        role,
        password: await command.password(),
        siteIds,
      });
      console.log(`Operator ${operator.login} (${operator.role}) added; sign in at /console/.`);
      return 0;
    }
  }
  throw usageError(`Unknown command "${positionals.join(' ')}".`);
}
