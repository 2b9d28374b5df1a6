import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import type { OperatorRole } from '../../protocol/console-api';
import { withTransaction } from '../database';
import { AdminConflict, AdminNotFound } from './sites';

export interface NewOperator {
  login: string;
  displayName: string;
  role: OperatorRole;
  password: string;
  /** The sites a site manager runs; ignored for a province admin, who sees every site. */
  siteIds: string[];
}

export interface Operator {
  id: string;
  login: string;
  displayName: string;
  role: OperatorRole;
  siteIds: string[];
}

export const MIN_PASSWORD_LENGTH = 12;

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): memory-hard, so a
 * stolen hash is slow to guess on GPUs, yet a sign-in costs a few tens of milliseconds.
 */
export function hashOperatorPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** Adds an operator; a site manager must name at least one existing site. */
export async function createOperator(pool: pg.Pool, operator: NewOperator): Promise<Operator> {
  const login = normaliseLogin(operator.login);
  if (!/^[a-z0-9._@-]{3,64}$/.test(login)) throw new RangeError('A login is 3–64 letters, digits, ".", "_", "@" or "-".');
  if ([...operator.password].length < MIN_PASSWORD_LENGTH) throw new RangeError(`A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
  const siteIds = operator.role === 'site-manager' ? [...new Set(operator.siteIds)] : [];
  if (operator.role === 'site-manager' && siteIds.length === 0) throw new RangeError('A site manager needs at least one site.');
  const passwordHash = await hashOperatorPassword(operator.password);
  return withTransaction(pool, async (client) => {
    const { rows: known } = await client.query<{ id: string }>('select id from sites where id = any($1::text[])', [siteIds]);
    const missing = siteIds.filter((id) => !known.some((k) => k.id === id));
    if (missing.length > 0) throw new AdminNotFound(`Site(s) ${missing.join(', ')} do not exist.`);
    const id = randomUUID();
    const { rowCount } = await client.query(
      `insert into operators (id, login, display_name, role, password_hash) values ($1, $2, $3, $4, $5) on conflict (login) do nothing`,
      [id, login, operator.displayName, operator.role, passwordHash],
    );
    if (!rowCount) throw new AdminConflict(`An operator with login ${login} already exists.`);
    await client.query('insert into operator_sites (operator_id, site_id) select $1, unnest($2::text[])', [id, siteIds]);
    return { id, login, displayName: operator.displayName, role: operator.role, siteIds };
  });
}

/** An active operator with their sites (every site for a province admin), or null. */
export async function operatorById(db: pg.Pool | pg.ClientBase, id: string): Promise<Operator | null> {
  const { rows } = await db.query<{ id: string; login: string; display_name: string; role: OperatorRole; site_ids: string[] }>(
    `select o.id, o.login, o.display_name, o.role,
            case when o.role = 'province-admin' then array(select id from sites order by id)
                 else array(select site_id from operator_sites where operator_id = o.id order by site_id) end as site_ids
       from operators o where o.id = $1 and o.disabled_at is null`,
    [id],
  );
  const row = rows[0];
  return row ? { id: row.id, login: row.login, displayName: row.display_name, role: row.role, siteIds: row.site_ids } : null;
}

export async function listOperators(pool: pg.Pool): Promise<Operator[]> {
  const { rows } = await pool.query<{ id: string }>('select id from operators where disabled_at is null order by login');
  const operators = await Promise.all(rows.map((r) => operatorById(pool, r.id)));
  return operators.filter((o): o is Operator => o !== null);
}
