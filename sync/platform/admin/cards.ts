import type pg from 'pg';
import QRCode from 'qrcode';
import { withSyncWrite } from '../database';
import { escapeHtml } from '../html';
import { ensureActiveIssuerKey, issueCardFor } from '../issuer-keys';
import { AdminNotFound } from './sites';

export interface PrintableCard {
  learnerId: string;
  displayName: string;
  serial: number;
  expiresAt: Date;
  /** The signed QR text (`YX:...`). */
  text: string;
}

/**
 * The current card of every learner at a site: the newest card that is neither revoked nor
 * expired, or a newly issued one for learners without. Re-running prints the same cards.
 */
export async function cardsForSite(pool: pg.Pool, siteId: string, now = new Date()): Promise<PrintableCard[]> {
  const { rows: site } = await pool.query('select 1 from sites where id = $1', [siteId]);
  if (site.length === 0) throw new AdminNotFound(`Site ${siteId} does not exist.`);
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query<{ id: string; display_name: string; serial: string | null; expires_at: Date | null; card_text: string | null }>(
      `select l.id, l.display_name, c.serial, c.expires_at, c.card_text
         from learners l
         left join latest_learner_cards c on c.learner_id = l.id and c.expires_at > $2
        where l.home_site_id = $1
        order by l.id`,
      [siteId, now],
    );
    const cards: PrintableCard[] = [];
    for (const row of rows) {
      if (row.serial !== null && row.card_text !== null && row.expires_at !== null) {
        cards.push({ learnerId: row.id, displayName: row.display_name, serial: Number(row.serial), expiresAt: row.expires_at, text: row.card_text });
        continue;
      }
      await ensureActiveIssuerKey(client, now);
      const issued = await issueCardFor(client, row.id, now);
      cards.push({ learnerId: row.id, displayName: row.display_name, ...issued });
    }
    return cards;
  });
}

/** Revoking goes out with the next pull; kiosks then refuse the card offline. */
export async function revokeCard(pool: pg.Pool, serial: number): Promise<void> {
  await withSyncWrite(pool, async (client) => {
    const { rowCount } = await client.query(
      `insert into card_revocations (serial, learner_id, server_seq)
       select serial, learner_id, next_sync_seq() from learner_cards where serial = $1
       on conflict (serial) do nothing`,
      [serial],
    );
    if (!rowCount) {
      const { rows } = await client.query('select 1 from learner_cards where serial = $1', [serial]);
      if (rows.length === 0) throw new AdminNotFound(`Card ${serial} does not exist.`);
      return;
    }
    // Kiosks stop offering the revoked card to staff with the next directory sync.
    await client.query(
      `update learners set server_seq = next_sync_seq() where id = (select learner_id from learner_cards where serial = $1)`,
      [serial],
    );
  });
}

/** An A4 sheet of credit-card-sized cards (85.6 × 54 mm), two across, for printing and cutting. */
export async function cardSheetHtml(siteId: string, cards: PrintableCard[]): Promise<string> {
  const items = await Promise.all(
    cards.map(async (card) => {
      const svg = await QRCode.toString(card.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      return `<section class="card">
  <div class="qr">${svg}</div>
  <div class="who"><p class="name">${escapeHtml(card.displayName)}</p>
  <p>学员号 ${escapeHtml(card.learnerId)}</p><p>卡号 ${card.serial}</p><p>有效期至 ${card.expiresAt.toISOString().slice(0, 10)}</p></div>
</section>`;
    }),
  );
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>粤学学员卡 ${escapeHtml(siteId)}</title>
<style>
@page { size: A4; margin: 10mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; }
main { display: grid; grid-template-columns: repeat(2, 85.6mm); gap: 6mm; justify-content: center; }
.card { width: 85.6mm; height: 54mm; box-sizing: border-box; border: 0.3mm dashed #888; padding: 3mm; display: flex; gap: 3mm; break-inside: avoid; }
.qr svg { width: 46mm; height: 46mm; }
.who p { margin: 0 0 1.5mm; font-size: 9pt; }
.who .name { font-size: 16pt; font-weight: bold; }
</style></head>
<body><main>
${items.join('\n')}
</main></body></html>
`;
}
