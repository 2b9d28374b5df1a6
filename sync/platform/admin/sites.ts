import type pg from 'pg';

export interface NewSite {
  id: string;
  name: string;
}

export async function createSite(pool: pg.Pool, site: NewSite): Promise<void> {
  const { rowCount } = await pool.query('insert into sites (id, name) values ($1, $2) on conflict (id) do nothing', [site.id, site.name]);
  if (!rowCount) throw new AdminConflict(`Site ${site.id} already exists.`);
}

export async function listSites(pool: pg.Pool): Promise<NewSite[]> {
  const { rows } = await pool.query<NewSite>('select id, name from sites order by id');
  return rows;
}

/** An admin request that contradicts what the platform holds (HTTP 409). */
export class AdminConflict extends Error {}

/** An admin request that names something the platform does not hold (HTTP 404). */
export class AdminNotFound extends Error {}
