import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import { withSyncWrite } from '../database';

export interface LearnerImportError {
  /** 1-based line in the file, header included, so staff can find it in a spreadsheet. */
  line: number;
  message: string;
}

export interface LearnerImportResult {
  imported: number;
  errors: LearnerImportError[];
}

const LEARNER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A site manager imports only into their own sites, and cannot move another site's learner. */
export interface LearnerImportScope {
  siteIds: string[];
}

const REQUIRED_COLUMNS = ['id', 'display_name', 'home_site_id'];

/**
 * Imports `id,display_name,home_site_id` rows. Each bad row is reported with its line and
 * skipped; the good rows go in together in one transaction, so a re-run after fixing the file
 * updates names and sites instead of duplicating anyone.
 */
export async function importLearnersCsv(pool: pg.Pool, csvText: string, scope?: LearnerImportScope): Promise<LearnerImportResult> {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csvText, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  } catch (error) {
    return { imported: 0, errors: [{ line: (error as { lines?: number }).lines ?? 1, message: (error as Error).message }] };
  }
  const header = Object.keys(records[0]?.record ?? {});
  const missing = REQUIRED_COLUMNS.filter((c) => records.length > 0 && !header.includes(c));
  if (missing.length > 0) return { imported: 0, errors: [{ line: 1, message: `Missing column(s): ${missing.join(', ')}.` }] };

  const { rows: sites } = await pool.query<{ id: string }>('select id from sites');
  const knownSites = new Set(sites.map((s) => s.id));
  const elsewhere = new Map<string, string>();
  if (scope) {
    const { rows: others } = await pool.query<{ id: string; home_site_id: string }>(
      'select id, home_site_id from learners where id = any($1::text[]) and not (home_site_id = any($2::text[]))',
      [records.map((r) => r.record.id ?? ''), scope.siteIds],
    );
    for (const other of others) elsewhere.set(other.id, other.home_site_id);
  }
  const errors: LearnerImportError[] = [];
  const valid: { id: string; display_name: string; home_site_id: string }[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const id = record.id ?? '';
    const name = record.display_name ?? '';
    const site = record.home_site_id ?? '';
    const problem = !LEARNER_ID.test(id)
      ? `learner id "${id}" must be 1–64 letters, digits, "-" or "_"`
      : name.length === 0 || [...name].length > 40
        ? 'display_name must be 1–40 characters'
        : !knownSites.has(site)
          ? `home_site_id "${site}" is not a known site`
          : scope && !scope.siteIds.includes(site)
            ? `home_site_id "${site}" is not one of your sites`
            : elsewhere.has(id)
              ? `learner ${id} belongs to site ${elsewhere.get(id)}, not one of your sites`
              : seen.has(id)
                ? `learner ${id} already appears on line ${seen.get(id)}`
                : null;
    if (problem) {
      errors.push({ line, message: problem });
      continue;
    }
    seen.set(id, line);
    valid.push({ id, display_name: name, home_site_id: site });
  }
  if (valid.length > 0) {
    // A changed name or site takes a new sync sequence number so kiosks pull it; an unchanged
    // row is left alone, so re-importing a whole register does not resend everyone.
    await withSyncWrite(pool, (client) =>
      client.query(
        `insert into learners (id, display_name, home_site_id, server_seq)
         select id, display_name, home_site_id, next_sync_seq()
           from jsonb_to_recordset($1::jsonb) as l(id text, display_name text, home_site_id text)
         on conflict (id) do update set
           display_name = excluded.display_name,
           home_site_id = excluded.home_site_id,
           left_site_id = case when learners.home_site_id is distinct from excluded.home_site_id
                               then learners.home_site_id else learners.left_site_id end,
           server_seq = excluded.server_seq
         where (learners.display_name, learners.home_site_id) is distinct from (excluded.display_name, excluded.home_site_id)`,
        [JSON.stringify(valid)],
      ),
    );
  }
  return { imported: valid.length, errors };
}
