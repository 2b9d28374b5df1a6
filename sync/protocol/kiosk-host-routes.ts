/**
 * The kiosk host's routes (kiosk-host-api.ts holds their bodies' schemas). Paths with `:id` are
 * Fastify route patterns; the renderer builds the concrete path with `kioskHostPath`.
 */
export const KioskHostRoutes = {
  health: '/health',
  config: '/kiosk/config',
  enrolment: '/kiosk/enrolment',
  enrolmentCode: '/kiosk/enrolment/code',
  enrolmentNewCode: '/kiosk/enrolment/new-code',
  staffUnlock: '/kiosk/staff/unlock',
  staffLock: '/kiosk/staff/lock',
  courses: '/kiosk/courses',
  course: '/kiosk/courses/:id',
  courseOpen: '/kiosk/courses/:id/open',
  courseDownload: '/kiosk/courses/:id/download',
  coursePin: '/kiosk/courses/:id/pin',
  journal: '/kiosk/journal',
  journalConfirmed: '/kiosk/journal/confirmed',
  /** The renderer's part of the heartbeat (sync/protocol/kiosk-heartbeat.ts RendererStatus). */
  status: '/kiosk/status',
} as const;

/** The concrete path of a route with an `:id`, the id percent-encoded. */
export function kioskHostPath(route: (typeof KioskHostRoutes)[keyof typeof KioskHostRoutes], id?: string): string {
  return id === undefined ? route : route.replace(':id', encodeURIComponent(id));
}

/** Staff routes want the token from POST /kiosk/staff/unlock in this header. */
export const STAFF_TOKEN_HEADER = 'x-yuexue-staff-token';

/**
 * The id of the JSON data block in which the host's page (GET /) hands the renderer its config:
 * the answer GET /kiosk/config gives, there when the entry script runs.
 */
export const KIOSK_CONFIG_ELEMENT_ID = 'kiosk-config';
