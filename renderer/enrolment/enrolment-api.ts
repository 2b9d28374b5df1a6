import { KioskHostRoutes, type EnrolmentCodeAnswer, type EnrolmentProgress } from '../../sync/protocol/kiosk-host-api';

import { ENROLMENT_CODE_PREFIX } from '../../sync/protocol/enrolment';

export type CodeProblem = 'unknown' | 'used' | 'expired' | 'offline' | 'failed';
export type CodeOutcome = { kind: 'enrolled'; siteId: string } | { kind: 'problem'; problem: CodeProblem };

/** The kiosk host's view of its enrolment request; null while the host does not answer. */
export async function fetchEnrolmentProgress(): Promise<EnrolmentProgress | null> {
  try {
    const response = await fetch(KioskHostRoutes.enrolment);
    return response.ok ? ((await response.json()) as EnrolmentProgress) : null;
  } catch {
    return null;
  }
}

/** Scanners and cameras read any QR code: only an enrolment code's text is sent on. */
export function isEnrolmentCodeText(text: string): boolean {
  return text.trim().toUpperCase().startsWith(ENROLMENT_CODE_PREFIX);
}

const PROBLEMS: Record<number, CodeProblem> = { 404: 'unknown', 409: 'used', 410: 'expired', 503: 'offline' };

/** Enrols with a platform enrolment code, as scanned (`YXENROL:…`) or typed; the platform checks it. */
export async function enrolWithCode(code: string): Promise<CodeOutcome> {
  try {
    const response = await fetch(KioskHostRoutes.enrolmentCode, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.trim() }),
    });
    if (response.status === 201) return { kind: 'enrolled', siteId: ((await response.json()) as EnrolmentCodeAnswer).siteId };
    return { kind: 'problem', problem: PROBLEMS[response.status] ?? 'failed' };
  } catch {
    return { kind: 'problem', problem: 'failed' };
  }
}

export async function requestNewCode(): Promise<void> {
  await fetch(KioskHostRoutes.enrolmentNewCode, { method: 'POST' });
}
