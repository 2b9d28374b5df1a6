import type pg from 'pg';
import type { AuthenticatedKiosk } from '../kiosk-auth';

export interface PushRow<Doc> {
  newDocumentState: Doc;
  assumedMasterState?: Doc | null;
}

/** The platform side of one replicated collection. */
export interface PlatformCollection<Doc> {
  /** Documents this kiosk may read with server_seq above `afterSeq`, oldest write first. */
  pull(pool: pg.Pool, kiosk: AuthenticatedKiosk, afterSeq: number, limit: number): Promise<Doc[]>;
  /** Writes inside the caller's sync transaction; returns the master state of each conflict. */
  push?(client: pg.PoolClient, kiosk: AuthenticatedKiosk, rows: PushRow<Doc>[]): Promise<Doc[]>;
}

/** A push the platform refuses as a whole; the transaction is rolled back. */
export class SyncRejection extends Error {
  constructor(
    readonly statusCode: 403 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

export function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

/** Keeps the first of each id: a batch that repeats a document is not a conflict with itself. */
export function uniqueById<Doc extends { id: string }>(rows: PushRow<Doc>[]): PushRow<Doc>[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.newDocumentState.id)) return false;
    seen.add(row.newDocumentState.id);
    return true;
  });
}
