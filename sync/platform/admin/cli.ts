/**
 * `npm run platform:admin -- <command>`: the admin API's functions, called directly on the
 * platform database (DATABASE_URL, or the embedded PGlite in the data folder). An embedded
 * database has one owner at a time: while a platform runs on it, the CLI goes through that
 * platform's admin API instead (cli-remote.ts), so it never reads a stale copy.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { read } from 'read';
import { dataFolder } from '../data-folder';
import { openDatabase, type PlatformDatabase } from '../database';
import { createEnrolmentCode, revokeKiosk } from '../enrolment';
import { ENROLMENT_CODE_PREFIX } from '../../protocol/enrolment';
import { approveEnrolmentRequest, pendingEnrolmentRequests, refuseEnrolmentRequest } from '../enrolment-requests';
import { migrateDatabase } from '../migrate';
import { DEFAULT_PARTITIONS, partitionTables } from '../partition-tables';
import { cardSheetHtml, cardsForSite, revokeCard } from './cards';
import { issuerKeyReports, listIssuerKeys, retireIssuerKey, rotateIssuerKey } from './issuer-keys';
import { approveProposedSession, createClassSession, proposedSessions, refuseProposedSession } from './class-sessions';
import { importCourseManifest } from './courses';
import { contentFolderSource, platformContentSource, signedCourseManifests, writeCourseExport, type SignedCourse, type PackageFileSource } from './course-export';
import { confirmLedgerEntries } from './ledger';
import { recomputeLedger } from './ledger-recompute';
import { approveHeldRecord, heldRecords, refusedRows, refuseHeldRecord } from './review';
import { importLearnersCsv } from './learners-import';
import { attendanceReportCsv, creditsReportCsv } from './reports';
import { createOperator } from './operators';
import { runThroughPlatform } from './cli-remote';
import { readRunFile } from '../platform-run-file';
import { createSite } from './sites';
import { importRecordBundle } from '../record-bundles';
import { readBundleFile, writeReceiptAndReport } from './bundle-import';
import { learningRecordStatements } from './xapi';

const USAGE = `Usage: npm run platform:admin -- <command>

  site add --id SITE --name NAME
  enrol-code --site SITE [--ttl-hours 24] [--out CODE.svg]
  enrol-request list                     (kiosks waiting for approval, with the code each shows)
  enrol-request approve CODE --site SITE (the kiosk then enrols itself to SITE)
  enrol-request refuse CODE
  kiosk revoke KIOSK_ID
  course import MANIFEST.json
  courses export --out DIR [--course ID …] (signed course packages for a USB drive; every course if none named)
  learners import FILE.csv               (columns: id,display_name,home_site_id)
  cards --site SITE [--out FILE.html]    (prints the cards, or writes an A4 sheet of QR cards)
  card revoke SERIAL
  issuer-key list                        (card signing keys, their status and how many cards each signed)
  issuer-key rotate [--id ID]            (a new key signs new cards; the old one stays verify-only)
  issuer-key retire KEY_ID               (kiosks refuse its cards; its learners need new cards)
  session add --site SITE --title TITLE --starts ISO --ends ISO [--teacher T] [--course C] [--roster ID,ID] [--status planned|open]
  sessions proposed list [--site SITE]   (classes kiosks made offline, waiting for a decision)
  sessions approve SESSION_ID            (releases its held check-ins: credited now, under the daily cap)
  sessions refuse SESSION_ID             (its check-ins stay stored, refused, earning nothing)
  ledger confirm [--site SITE] [--through YYYY-MM-DD]  (every source type recorded at SITE)
  ledger recompute [--apply]             (reports differences; writes only with --apply)
  review list [--site SITE]              (records held for review, with their reason codes)
  review approve RECORD_ID               (credits it now, under the daily cap)
  review refuse RECORD_ID                (keeps it, earns nothing)
  refusals list [--site SITE]            (pushed rows the platform could not store, as received)
  report attendance|credits [--site SITE] [--from DAY] [--to DAY] [--out FILE.csv]
  xapi [--site SITE] [--from DAY] [--to DAY] [--out FILE.json]
  bundle import FILE [--receipt OUT]     (a kiosk's record bundle from a drive; the receipt goes beside it unless --receipt)
  operator add --login LOGIN --name NAME --role province-admin|site-manager [--site SITE,SITE]
                                         (asks for the password, or reads PLATFORM_OPERATOR_PASSWORD)
  partition-tables [--partitions ${DEFAULT_PARTITIONS}]    (once, platform stopped: hash-partitions attendance by
                                         site, progress and ledger by learner; read docs/platform.md first)

Database: DATABASE_URL, or the embedded one in ${join(dataFolder(), 'platform-db')}.`;

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    id: { type: 'string' },
    name: { type: 'string' },
    site: { type: 'string' },
    out: { type: 'string' },
    'ttl-hours': { type: 'string' },
    title: { type: 'string' },
    teacher: { type: 'string' },
    course: { type: 'string', multiple: true },
    starts: { type: 'string' },
    ends: { type: 'string' },
    roster: { type: 'string' },
    status: { type: 'string' },
    through: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    login: { type: 'string' },
    role: { type: 'string' },
    receipt: { type: 'string' },
    partitions: { type: 'string' },
    apply: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

class UsageError extends Error {}

async function operatorPassword(): Promise<string> {
  return process.env.PLATFORM_OPERATOR_PASSWORD ?? String(await read({ prompt: 'Password (12 characters or more): ', silent: true, replace: '*', output: process.stderr }));
}

const SINGLE_WORD_COMMANDS = ['enrol-code', 'cards', 'xapi', 'partition-tables'];

function required(name: keyof typeof flags): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

function positional(index: number, what: string): string {
  const value = positionals[index];
  if (!value) throw new UsageError(`${what} is required.`);
  return value;
}

async function output(text: string): Promise<void> {
  if (flags.out) {
    await writeFile(flags.out, text);
    console.log(`Wrote ${flags.out}`);
  } else {
    process.stdout.write(text);
  }
}

function reportFilter() {
  return { siteId: flags.site, fromDay: flags.from, toDay: flags.to };
}

/** The platform's course files, where the platform itself reads them (see main.ts). */
function platformContentDir(): string {
  return process.env.PLATFORM_CONTENT_DIR ?? join(dataFolder(), 'course-content');
}

async function exportCourses(courses: SignedCourse[], source: PackageFileSource): Promise<number> {
  const out = required('out');
  if (courses.length === 0) throw new Error('The platform has no courses to export; "course import" one first.');
  const index = await writeCourseExport(out, courses, source, (courseId, file) => console.error(`  ${courseId}/${file}`));
  for (const course of index.courses) console.log(`Course ${course.id} version ${course.version}: ${course.totalBytes} bytes`);
  console.log(`Wrote ${index.courses.length} course(s) to ${out}; eject the drive before removing it.`);
  return 0;
}

/** The running platform's signed manifests (admin API), when it owns the embedded database. */
async function fetchSignedCourses(running: { url: string; adminToken: string }, courseIds: string[]): Promise<SignedCourse[]> {
  const response = await fetch(`${running.url}/admin/courses/signed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${running.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ courseIds }),
  });
  const answer = (await response.json()) as SignedCourse[] | { message?: string };
  if (!response.ok) throw new Error((answer as { message?: string }).message ?? `HTTP ${response.status}`);
  return answer as SignedCourse[];
}

async function run(database: PlatformDatabase): Promise<number> {
  const { pool } = database;
  const [command = '', sub = ''] = positionals;
  // Some commands take a sub-command ("ledger confirm"), the rest take only flags.
  const key = SINGLE_WORD_COMMANDS.includes(command) ? command : `${command} ${sub}`;
  switch (key) {
    case 'site add':
      await createSite(pool, { id: required('id'), name: required('name') });
      console.log(`Site ${flags.id} created.`);
      return 0;
    case 'enrol-code': {
      const code = await createEnrolmentCode(pool, required('site'), flags['ttl-hours'] ? Number(flags['ttl-hours']) : undefined);
      console.log(`Enrolment code for ${code.siteId}: ${code.code}  (single use, expires ${code.expiresAt.toISOString()})`);
      if (flags.out) await writeFile(flags.out, code.qrSvg);
      else console.log(await QRCode.toString(`${ENROLMENT_CODE_PREFIX}${code.code}`, { type: 'terminal', small: true }));
      return 0;
    }
    case 'enrol-request list': {
      const pending = await pendingEnrolmentRequests(pool);
      for (const request of pending) {
        console.log(`${request.userCode}  ${request.kioskName}  asked ${request.createdAt.toISOString()}, expires ${request.expiresAt.toISOString()}`);
      }
      console.log(`${pending.length} kiosk(s) waiting for approval.`);
      return 0;
    }
    case 'enrol-request approve': {
      const approved = await approveEnrolmentRequest(pool, positional(2, 'CODE'), required('site'));
      console.log(`Approved: kiosk "${approved.kioskName}" (${approved.userCode}) enrols to ${approved.siteId} on its next poll.`);
      return 0;
    }
    case 'enrol-request refuse': {
      const refused = await refuseEnrolmentRequest(pool, positional(2, 'CODE'));
      console.log(`Refused: kiosk "${refused.kioskName}" (${refused.userCode}) will not be enrolled.`);
      return 0;
    }
    case 'kiosk revoke':
      await revokeKiosk(pool, positional(2, 'KIOSK_ID'));
      console.log(`Kiosk ${positionals[2]} revoked; its next sync is refused.`);
      return 0;
    case 'course import': {
      const file = positional(2, 'MANIFEST.json');
      let manifest: unknown;
      try {
        manifest = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new Error(`${file} is not readable JSON: ${(error as Error).message}`, { cause: error });
      }
      const course = await importCourseManifest(pool, manifest);
      console.log(`Course ${course.id} version ${course.version} imported.`);
      return 0;
    }
    case 'courses export':
      return exportCourses(await signedCourseManifests(pool, flags.course ?? []), contentFolderSource(platformContentDir()));
    case 'learners import': {
      const result = await importLearnersCsv(pool, await readFile(positional(2, 'FILE.csv'), 'utf8'));
      console.log(`${result.imported} learner(s) imported.`);
      for (const error of result.errors) console.error(`line ${error.line}: ${error.message}`);
      return result.errors.length > 0 ? 1 : 0;
    }
    case 'cards': {
      const siteId = required('site');
      const { rows: site } = await pool.query('select 1 from sites where id = $1', [siteId]);
      if (site.length === 0) {
        // Without this, an unknown site prints "0 card(s)" as if it had no learners.
        throw new Error(`Site ${siteId} does not exist. Add it with \`site add\`; the demo's site is created by \`npm start\` (run it once and stop it).`);
      }
      const cards = await cardsForSite(pool, siteId);
      if (flags.out) return output(await cardSheetHtml(siteId, cards)).then(() => 0);
      for (const card of cards) {
        console.log(`${card.learnerId}  ${card.displayName}  card ${card.serial}  valid to ${card.expiresAt.toISOString().slice(0, 10)}`);
        console.log(await QRCode.toString(card.text, { type: 'terminal', small: true }));
      }
      console.log(`${cards.length} card(s). Add --out cards.html for a printable A4 sheet.`);
      return 0;
    }
    case 'card revoke':
      await revokeCard(pool, Number(positional(2, 'SERIAL')));
      console.log(`Card ${positionals[2]} revoked; kiosks refuse it after their next pull.`);
      return 0;
    case 'issuer-key list':
      console.log(issuerKeyReports.list(await listIssuerKeys(pool)));
      return 0;
    case 'issuer-key rotate':
      console.log(issuerKeyReports.rotated(await rotateIssuerKey(pool, flags.id)));
      return 0;
    case 'issuer-key retire':
      console.log(issuerKeyReports.retired(await retireIssuerKey(pool, positional(2, 'KEY_ID'))));
      return 0;
    case 'session add': {
      const status = flags.status ?? 'planned';
      if (status !== 'planned' && status !== 'open') throw new UsageError('--status must be planned or open.');
      const { id } = await createClassSession(pool, {
        siteId: required('site'),
        title: required('title'),
        startsAt: new Date(required('starts')).toISOString(),
        endsAt: new Date(required('ends')).toISOString(),
        teacher: flags.teacher,
        courseId: flags.course?.at(-1),
        status,
        roster: flags.roster ? flags.roster.split(',').map((s) => s.trim()).filter(Boolean) : [],
      });
      console.log(`Class session ${id} created; the site's kiosks get it on their next pull.`);
      return 0;
    }
    case 'ledger confirm':
      console.log(`${await confirmLedgerEntries(pool, { siteId: flags.site, throughDay: flags.through })} ledger entries confirmed.`);
      return 0;
    case 'ledger recompute': {
      const result = await recomputeLedger(pool, { apply: flags.apply ?? false });
      for (const difference of result.differences) console.log(JSON.stringify(difference));
      console.log(`${result.checked} creditable record(s) checked, ${result.differences.length} difference(s), ${result.repaired} repaired.`);
      return result.differences.length > 0 && !flags.apply ? 1 : 0;
    }
    case 'sessions proposed': {
      if ((positionals[2] ?? 'list') !== 'list') throw new UsageError(`Unknown command: sessions proposed ${positionals[2]}`);
      const proposed = await proposedSessions(pool, flags.site);
      for (const s of proposed) {
        console.log(`${s.id}  ${s.title}  ${s.startsAt} – ${s.endsAt}  at ${s.siteId}/${s.proposedBy}  ${s.status}  ${s.heldCheckIns} check-in(s) held`);
      }
      console.log(`${proposed.length} proposed session(s) waiting for a decision.`);
      return 0;
    }
    case 'sessions approve': {
      const approved = await approveProposedSession(pool, positional(2, 'SESSION_ID'));
      console.log(
        `Approved session ${positionals[2]}: ${approved.released} check-in(s) released, ${approved.creditedHours} h credited, ${approved.stillHeld} still held for other reasons.`,
      );
      return 0;
    }
    case 'sessions refuse': {
      const refused = await refuseProposedSession(pool, positional(2, 'SESSION_ID'));
      console.log(`Refused session ${positionals[2]}: ${refused.refused} check-in(s) kept, earning nothing.`);
      return 0;
    }
    case 'review list': {
      const held = await heldRecords(pool, flags.site);
      for (const r of held) {
        const late = r.lateReason ? `  late: ${r.lateReason}` : '';
        console.log(`${r.id}  ${r.collection}  learner ${r.learnerId}  ${r.subject}  at ${r.siteId}/${r.kioskId}  device ${r.deviceTime}  reasons: ${r.reasons.join(', ')}${late}`);
      }
      console.log(`${held.length} record(s) held for review.`);
      return 0;
    }
    case 'review approve': {
      const approved = await approveHeldRecord(pool, positional(2, 'RECORD_ID'));
      console.log(`Approved ${positionals[2]} (${approved.collection}): ${approved.creditedHours} h credited.`);
      return 0;
    }
    case 'review refuse': {
      const refused = await refuseHeldRecord(pool, positional(2, 'RECORD_ID'));
      console.log(`Refused ${positionals[2]} (${refused.collection}): kept, earns nothing.`);
      return 0;
    }
    case 'refusals list': {
      const refusals = await refusedRows(pool, flags.site);
      for (const r of refusals) console.log(`${r.receivedAt}  ${r.collection} ${r.recordId}  from ${r.siteId}/${r.kioskId}  ${r.reason}: ${r.message}`);
      console.log(`${refusals.length} refused row(s) kept as received.`);
      return 0;
    }
    case 'report attendance':
      await output(await attendanceReportCsv(pool, reportFilter()));
      return 0;
    case 'report credits':
      await output(await creditsReportCsv(pool, reportFilter()));
      return 0;
    case 'operator add': {
      const role = required('role');
      if (role !== 'province-admin' && role !== 'site-manager') throw new UsageError('--role must be province-admin or site-manager.');
      const password = await operatorPassword();
      const siteIds = flags.site ? flags.site.split(',').map((s) => s.trim()).filter(Boolean) : [];
      const operator = await createOperator(pool, { login: required('login'), displayName: required('name'), role, password, siteIds });
      console.log(`Operator ${operator.login} (${operator.role}) added; sign in at /console/.`);
      return 0;
    }
    case 'bundle import': {
      const file = positional(2, 'FILE');
      await writeReceiptAndReport(file, flags.receipt, await importRecordBundle(pool, await readBundleFile(file)));
      return 0;
    }
    case 'xapi':
      await output(`${JSON.stringify(await learningRecordStatements(pool, reportFilter()), null, 2)}\n`);
      return 0;
    case 'partition-tables': {
      const partitions = flags.partitions === undefined ? DEFAULT_PARTITIONS : Number(flags.partitions);
      if (!Number.isInteger(partitions) || partitions < 2) throw new UsageError('--partitions must be a whole number, 2 or more.');
      for (const table of await partitionTables(pool, partitions)) {
        console.log(`${table.table}: ${table.rows} row(s) moved into ${table.partitions} partitions by ${table.key}.`);
      }
      console.log('Done: start the platform again.');
      return 0;
    }
  }
  throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
}

async function main(): Promise<number> {
  if (flags.help || positionals.length === 0) {
    console.log(USAGE);
    return flags.help ? 0 : 2;
  }
  const embeddedDir = process.env.DATABASE_URL ? undefined : join(dataFolder(), 'platform-db');
  const running = embeddedDir ? await readRunFile(embeddedDir) : null;
  if (running) {
    const [command = '', sub = ''] = positionals;
    const key = SINGLE_WORD_COMMANDS.includes(command) ? command : `${command} ${sub}`;
    if (key === 'partition-tables') throw new Error(`Stop the platform running at ${running.url} (pid ${running.pid}) first: this rewrites the tables it writes to.`);
    console.error(`(through the platform running at ${running.url}, pid ${running.pid})`);
    if (key === 'courses export') {
      // The running platform signs the manifests; its files come as it serves them, from /content/.
      const signed = await fetchSignedCourses(running, flags.course ?? []);
      return exportCourses(signed, platformContentSource(running.url));
    }
    return runThroughPlatform(running, { key, positionals, flags: { ...flags, course: flags.course?.at(-1) }, password: operatorPassword }, (message) => new UsageError(message));
  }
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: embeddedDir, poolSize: 2 });
  try {
    await migrateDatabase(database.pool);
    return await run(database);
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `Error: ${(error as Error).message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
