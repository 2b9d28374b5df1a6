import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withSyncWrite } from './database';
import { creditDay } from './credit-ledger';
import { createIssuerKey, issueCardFor } from './issuer-keys';
import { hashSecret, mintKioskCredential, parseKioskCredential } from './kiosk-credential';
import { demoCourses } from '../../assets/demo-courses';

export const DEMO_SITE_ID = 'GZ-DONGSHAN';
export const DEMO_KIOSK_ID = 'KIOSK-DONGSHAN-1';

const DEMO_LEARNERS: [string, string][] = [
  ['GD2026000101', '陈秀英'], ['GD2026000102', '李婉仪'], ['GD2026000103', '黄志强'], ['GD2026000104', '梁惠芳'],
  ['GD2026000105', '何家明'], ['GD2026000106', '罗美玲'], ['GD2026000107', '张国华'], ['GD2026000108', '林淑贞'],
  ['GD2026000109', '郭伟文'], ['GD2026000110', '吴丽娟'], ['GD2026000111', '周建新'], ['GD2026000112', '麦嘉欣'],
  ['GD2026000113', '谭永康'], ['GD2026000114', '冯玉兰'], ['GD2026000115', '邓振华'], ['GD2026000116', '曾月好'],
  ['GD2026000117', '彭耀祖'], ['GD2026000118', '苏慧敏'], ['GD2026000119', '卢锦泉'], ['GD2026000120', '区凤仪'],
];


export interface DemoSeedResult {
  /** Only known right after the kiosk is created; later runs read it from the data folder. */
  kioskCredential: string | null;
  seededNow: boolean;
}

/** A class session today, 14:00–16:00 Guangdong time. */
async function ensureTodaysClassSession(client: pg.ClientBase, now: Date): Promise<void> {
  const day = creditDay(now);
  const { rows } = await client.query(
    `select 1 from class_sessions where site_id = $1 and to_char(starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') = $2`,
    [DEMO_SITE_ID, day],
  );
  if (rows.length > 0) return;
  await insertDemoClass(client, '长者智能手机入门 · 第3课 微信视频通话', `${day}T14:00:00+08:00`, `${day}T16:00:00+08:00`);
}

/** A planned class of the smartphone course at the demo site, with fifteen of the twenty learners on its roster. */
async function insertDemoClass(client: pg.ClientBase, title: string, startsAt: Date | string, endsAt: Date | string): Promise<void> {
  await client.query(
    `insert into class_sessions (id, site_id, course_id, title, teacher, starts_at, ends_at, status, roster, server_seq)
     values ($1, $2, 'smartphone-basics', $3, '陈老师', $4, $5, 'planned', $6, next_sync_seq())`,
    [randomUUID(), DEMO_SITE_ID, title, startsAt, endsAt, JSON.stringify(DEMO_LEARNERS.slice(0, 15).map(([id]) => id))],
  );
}

/**
 * For the demo launcher only: a class at the demo site that takes check-ins now, so whoever tries
 * the demo can check in at any hour (the check-in window opens 30 minutes before a class starts).
 * It starts on the last quarter hour and runs two hours; nothing is added while one is running.
 */
export async function ensureDemoClassNow(pool: pg.Pool, now = new Date()): Promise<void> {
  await withSyncWrite(pool, async (client) => {
    const { rows } = await client.query('select 1 from class_sessions where site_id = $1 and check_in_opens_at <= $2 and ends_at > $2 and not deleted', [
      DEMO_SITE_ID,
      now,
    ]);
    if (rows.length > 0) return;
    const startsAt = new Date(Math.floor(now.getTime() / 900_000) * 900_000);
    await insertDemoClass(client, '长者智能手机入门 · 练习课', startsAt, new Date(startsAt.getTime() + 2 * 3_600_000));
  });
}

/**
 * Demo data for `npm start`: one site, one enrolled kiosk, three courses, twenty learners with
 * signed cards and a class session today. Safe to run on every start: it seeds once, and only
 * adds today's class session when there is none.
 */
export async function seedDemo(pool: pg.Pool, knownCredential: string | null, now = new Date()): Promise<DemoSeedResult> {
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query('select 1 from sites where id = $1', [DEMO_SITE_ID]);
    let kioskCredential: string | null = null;
    const seededNow = rows.length === 0;
    if (seededNow) {
      await client.query('insert into sites (id, name) values ($1, $2)', [DEMO_SITE_ID, '越秀区东山街社区学习点']);
      const minted = mintKioskCredential(DEMO_KIOSK_ID);
      kioskCredential = minted.credential;
      await client.query('insert into kiosks (id, site_id, name, token_hash) values ($1, $2, $3, $4)', [
        DEMO_KIOSK_ID,
        DEMO_SITE_ID,
        '东山学习点 大堂终端',
        minted.tokenHash,
      ]);
      await createIssuerKey(client, 'gd-2026a');
      // Their files are what writeDemoCourses puts in the platform's content folder.
      for (const { manifest } of demoCourses()) {
        await client.query(
          `insert into courses (id, version, manifest, credit_hours, server_seq) values ($1, $2, $3, $4, next_sync_seq())`,
          [manifest.id, manifest.version, JSON.stringify(manifest), manifest.creditHours],
        );
      }
      for (const [id, name] of DEMO_LEARNERS) {
        await client.query(`insert into learners (id, display_name, home_site_id, server_seq) values ($1, $2, $3, next_sync_seq())`, [
          id,
          name,
          DEMO_SITE_ID,
        ]);
        await issueCardFor(client, id, now);
      }
    } else if (knownCredential) {
      // The data folder keeps the demo kiosk's credential; make sure it still matches.
      const parsed = parseKioskCredential(knownCredential);
      if (parsed) {
        await client.query('update kiosks set token_hash = $2 where id = $1', [parsed.kioskId, hashSecret(parsed.secret)]);
      }
    }
    await ensureTodaysClassSession(client, now);
    return { kioskCredential, seededNow };
  });
}

export const demoLearners = DEMO_LEARNERS;
