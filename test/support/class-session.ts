import type { ClassSession } from '../../sync/protocol/class-session';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';

/** The demo kiosk, as the renderer's check-in code sees it. */
export const DEMO_KIOSK = { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID };

/** An open class at the demo site, for kiosk-side tests that check learners in without a platform. */
export const OPEN_DEMO_SESSION: ClassSession = {
  id: '1d7c1f64-3f36-4bd4-9a3e-2a4b7f5f0c11',
  siteId: DEMO_SITE_ID,
  title: '长者智能手机入门 · 第3课',
  teacher: '陈老师',
  startsAt: '2026-11-23T06:00:00.000Z',
  endsAt: '2026-11-23T08:00:00.000Z',
  status: 'open',
  statusVersion: 1,
  checkInOpensAt: '2026-11-23T05:30:00.000Z',
  roster: ['GD2026000101', 'GD2026000102'],
  _deleted: false,
};
