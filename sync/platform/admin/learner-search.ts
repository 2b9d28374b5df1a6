import { pinyin } from 'pinyin-pro';
import type pg from 'pg';

export interface FoundLearner {
  id: string;
  displayName: string;
  homeSiteId: string;
  /** The learner's current card (newest, not revoked, not expired), if any. */
  card: { serial: number; expiresAt: Date } | null;
}

function compact(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

/** Pinyin initials of a name ("陈美玲" → "cml"), the way staff type names on a phone. */
export function pinyinInitials(name: string): string {
  return compact(pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join(''));
}

/**
 * A site's learners whose name, learner number or pinyin initials contain the query, by
 * learner number. Names and numbers are matched in SQL; initials need pinyin, so they are
 * worked out here for the site's learners, which a site keeps in the tens of thousands at most.
 */
export async function searchSiteLearners(pool: pg.Pool, siteId: string, query: string, limit = 50, now = new Date()): Promise<FoundLearner[]> {
  const q = compact(query);
  const { rows } = await pool.query<{ id: string; display_name: string; home_site_id: string; serial: string | null; expires_at: Date | null }>(
    `select l.id, l.display_name, l.home_site_id, c.serial, c.expires_at
       from learners l left join latest_learner_cards c on c.learner_id = l.id and c.expires_at > $2
      where l.home_site_id = $1
      order by l.id`,
    [siteId, now],
  );
  const found: FoundLearner[] = [];
  for (const row of rows) {
    if (found.length >= limit) break;
    const matches =
      q === '' || row.id.toLowerCase().includes(q) || compact(row.display_name).includes(q) || (/^[a-z]+$/.test(q) && pinyinInitials(row.display_name).includes(q));
    if (!matches) continue;
    found.push({
      id: row.id,
      displayName: row.display_name,
      homeSiteId: row.home_site_id,
      card: row.serial !== null && row.expires_at !== null ? { serial: Number(row.serial), expiresAt: row.expires_at } : null,
    });
  }
  return found;
}
