import type pg from 'pg';
import { withSyncWrite } from './database';

/**
 * The large tables and the column each is hash-partitioned by: the column every push, pull and
 * ledger rule reads them by, and one that never changes for a row (an upsert that would move a
 * row to another partition is refused by PostgreSQL). Attendance goes by site: its id is derived
 * from class session and learner, and a session never changes site. Progress and the ledger go
 * by learner: a progress row's site moves until completion, and the daily cap, placement
 * re-stamps and the kiosk's ledger pull all read a learner's rows.
 */
export const PARTITIONED_TABLES = [
  { table: 'attendance', key: 'site_id' },
  { table: 'lesson_progress', key: 'learner_id' },
  { table: 'credit_ledger', key: 'learner_id' },
] as const;

/** Where the step records that it ran (it is not a node-pg-migrate migration: see docs/platform.md). */
const RECORD_TABLE = 'table_partitioning';

export const DEFAULT_PARTITIONS = 4;
const MAX_PARTITIONS = 256;

export interface PartitionedTable {
  table: string;
  key: string;
  partitions: number;
  /** Rows moved into the partitions. */
  rows: number;
}

export class TablesAlreadyPartitioned extends Error {
  constructor(readonly done: { table: string; key: string; partitions: number; partitionedAt: Date | null }[]) {
    super(
      `Already partitioned: ${done.map((d) => `${d.table} (${d.key}, ${d.partitions} partitions)`).join(', ')}` +
        `${done[0]?.partitionedAt ? ` (on ${done[0].partitionedAt.toISOString()})` : ''}. Nothing was changed.`,
    );
  }
}

/**
 * Turns the large tables into hash-partitioned ones, in one transaction that holds the sync write
 * lock exclusively (no push runs meanwhile): each table is re-created partitioned with the same
 * columns, defaults and checks, its rows moved, and its keys, foreign keys, indexes and triggers
 * re-created from the catalog under their old names (so a later migration that names one still
 * finds it). Primary and unique keys gain the partition column, as PostgreSQL requires; since
 * that column is fixed for a row, they stay as unique as before. Refuses a database where any of
 * them is partitioned already.
 */
export async function partitionTables(pool: pg.Pool, partitions = DEFAULT_PARTITIONS): Promise<PartitionedTable[]> {
  if (!Number.isInteger(partitions) || partitions < 2 || partitions > MAX_PARTITIONS) {
    throw new RangeError(`The number of partitions must be a whole number from 2 to ${MAX_PARTITIONS}.`);
  }
  return withSyncWrite(pool, async (client) => {
    await client.query(`lock table ${PARTITIONED_TABLES.map((t) => t.table).join(', ')} in access exclusive mode`);
    const done = await partitionedAlready(client);
    if (done.length > 0) throw new TablesAlreadyPartitioned(done);
    await client.query(
      `create table if not exists ${RECORD_TABLE} (
         table_name text primary key,
         partition_key text not null,
         partitions integer not null,
         partitioned_at timestamptz not null default now()
       )`,
    );
    const report: PartitionedTable[] = [];
    for (const { table, key } of PARTITIONED_TABLES) {
      const rows = await partitionOne(client, table, key, partitions);
      await client.query(`insert into ${RECORD_TABLE} (table_name, partition_key, partitions) values ($1, $2, $3)`, [table, key, partitions]);
      report.push({ table, key, partitions, rows });
    }
    return report;
  });
}

/** True when any of the large tables is partitioned. */
export async function tablesArePartitioned(client: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*) as n from pg_class where oid = any(array[${PARTITIONED_TABLES.map((t) => `to_regclass('public.${t.table}')`).join(', ')}]) and relkind = 'p'`,
  );
  return Number(rows[0]?.n) > 0;
}

/** What the catalog says is partitioned already (by whatever means), with the date this step recorded, if it ran. */
async function partitionedAlready(client: pg.ClientBase): Promise<TablesAlreadyPartitioned['done']> {
  const { rows } = await client.query<{ table_name: string; key: string; partitions: string }>(
    `select c.relname as table_name, pg_get_partkeydef(c.oid) as key, (select count(*) from pg_inherits i where i.inhparent = c.oid) as partitions
       from pg_class c
      where c.relkind = 'p' and c.relnamespace = 'public'::regnamespace and c.relname = any($1::text[])`,
    [PARTITIONED_TABLES.map((t) => t.table)],
  );
  if (rows.length === 0) return [];
  const recorded = await client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [`public.${RECORD_TABLE}`]);
  const dates = recorded.rows[0]?.exists
    ? new Map((await client.query<{ table_name: string; partitioned_at: Date }>(`select table_name, partitioned_at from ${RECORD_TABLE}`)).rows.map((r) => [r.table_name, r.partitioned_at]))
    : new Map<string, Date>();
  const order = PARTITIONED_TABLES.map((t) => t.table as string);
  return rows
    .sort((a, b) => order.indexOf(a.table_name) - order.indexOf(b.table_name))
    .map((r) => ({ table: r.table_name, key: r.key, partitions: Number(r.partitions), partitionedAt: dates.get(r.table_name) ?? null }));
}

interface TableDefinition {
  /** Primary key and unique constraints, then foreign keys: name and pg_get_constraintdef text. */
  constraints: { name: string; type: 'p' | 'u' | 'f'; definition: string }[];
  /** CREATE INDEX statements of the indexes no constraint owns. */
  indexes: string[];
  /** CREATE TRIGGER statements. */
  triggers: string[];
}

async function definitionOf(client: pg.ClientBase, table: string): Promise<TableDefinition> {
  const { rows: constraints } = await client.query<{ name: string; type: string; definition: string }>(
    `select conname as name, contype as type, pg_get_constraintdef(oid) as definition
       from pg_constraint where conrelid = $1::regclass and contype not in ('c', 'n')
      order by case contype when 'p' then 0 when 'u' then 1 else 2 end, conname`,
    [table],
  );
  const unsupported = constraints.find((c) => !['p', 'u', 'f'].includes(c.type));
  if (unsupported) throw new Error(`${table} has constraint ${unsupported.name} of a kind this step does not re-create (${unsupported.definition}).`);
  const { rows: indexes } = await client.query<{ name: string; definition: string; unique: boolean }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition, i.indisunique as unique
       from pg_index i
      where i.indrelid = $1::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by 1`,
    [table],
  );
  // A unique index outside a constraint cannot gain the partition column by rewriting its text safely.
  const unique = indexes.find((i) => i.unique);
  if (unique) throw new Error(`${table} has unique index ${unique.name}, which this step cannot re-create on partitions; make it a unique constraint first.`);
  const { rows: triggers } = await client.query<{ definition: string }>(
    'select pg_get_triggerdef(oid) as definition from pg_trigger where tgrelid = $1::regclass and not tgisinternal order by tgname',
    [table],
  );
  return {
    constraints: constraints as TableDefinition['constraints'],
    indexes: indexes.map((i) => i.definition),
    triggers: triggers.map((t) => t.definition),
  };
}

/** `PRIMARY KEY (id)` → `PRIMARY KEY (id, site_id)`: a partitioned table's unique keys must hold its partition column. */
export function withPartitionColumn(definition: string, key: string): string {
  return definition.replace(/\(([^)]*)\)/, (whole, columns: string) => {
    const names = columns.split(',').map((c) => c.trim());
    return names.includes(key) ? whole : `(${[...names, key].join(', ')})`;
  });
}

async function partitionOne(client: pg.ClientBase, table: string, key: string, partitions: number): Promise<number> {
  const definition = await definitionOf(client, table);
  const staging = `${table}__partitioned`;
  // Columns (in order), not-null, defaults and check constraints (with their names) come along;
  // PostgreSQL 18 (PGlite) lists not-null constraints in pg_constraint too, hence 'n' above.
  await client.query(`create table ${staging} (like ${table} including defaults including constraints) partition by hash (${key})`);
  for (let remainder = 0; remainder < partitions; remainder++) {
    await client.query(`create table ${table}_p${remainder} partition of ${staging} for values with (modulus ${partitions}, remainder ${remainder})`);
  }
  // No trigger exists on the new table yet: moving rows must not re-place learners or re-number rows.
  const moved = await client.query(`insert into ${staging} select * from ${table}`);
  await client.query(`drop table ${table}`);
  await client.query(`alter table ${staging} rename to ${table}`);
  for (const constraint of definition.constraints) {
    const text = constraint.type === 'f' ? constraint.definition : withPartitionColumn(constraint.definition, key);
    await client.query(`alter table ${table} add constraint ${constraint.name} ${text}`);
  }
  for (const index of definition.indexes) await client.query(index);
  for (const trigger of definition.triggers) await client.query(trigger);
  await client.query(`analyze ${table}`);
  return moved.rowCount ?? 0;
}
