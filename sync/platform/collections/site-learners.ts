import type { SiteLearner } from '../../protocol/site-learner';
import { iso, type PlatformCollection } from './platform-collection';

interface SiteLearnerRow {
  id: string;
  display_name: string;
  home_site_id: string | null;
  server_seq: string;
  serial: string | null;
  expires_at: Date | null;
  card_text: string | null;
}

/** Read-only for kiosks: the learners whose home is the kiosk's site, and those who left it. */
export const siteLearnerCollection: PlatformCollection<SiteLearner> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<SiteLearnerRow>(
      `select l.id, l.display_name, l.home_site_id, l.server_seq, c.serial, c.expires_at, c.card_text
         from learners l
         left join latest_learner_cards c on c.learner_id = l.id
        where (l.home_site_id = $1 or l.left_site_id = $1) and l.server_seq > $2
        order by l.server_seq
        limit $3`,
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      ...(row.serial !== null && row.card_text !== null && row.expires_at !== null
        ? { card: { serial: Number(row.serial), text: row.card_text, expiresAt: iso(row.expires_at) } }
        : {}),
      serverSeq: Number(row.server_seq),
      _deleted: row.home_site_id !== kiosk.siteId,
    }));
  },
};
