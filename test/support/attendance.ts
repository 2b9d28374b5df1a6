import { attendanceRecordId, type AttendanceRecord } from '../../sync/protocol/attendance-record';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';

/** An attendance record the demo kiosk would push, with its derived id; overrides make it wrong on purpose. */
export function demoAttendance(classSessionId: string, learnerId: string, overrides: Partial<AttendanceRecord> = {}): AttendanceRecord {
  return {
    id: attendanceRecordId(classSessionId, learnerId),
    classSessionId,
    learnerId,
    siteId: DEMO_SITE_ID,
    kioskId: DEMO_KIOSK_ID,
    method: 'scanner',
    onRoster: true,
    deviceTime: '2026-11-20T06:00:00.000Z',
    _deleted: false,
    ...overrides,
  };
}
