/** Why a course could not be cached; each message says what happened and what to do. */
export class CourseCacheError extends Error {
  constructor(
    readonly code: 'checksum-mismatch' | 'disk-full' | 'over-budget' | 'http' | 'size-mismatch',
    message: string,
  ) {
    super(message);
  }
}

export function isDiskFull(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ENOSPC';
}
