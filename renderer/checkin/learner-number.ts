/** Learner numbers are 'GD' and ten digits (GD2026000101); staff key in only the digits. */
export const LEARNER_NUMBER_PREFIX = 'GD';
export const LEARNER_NUMBER_DIGITS = 10;

export function learnerIdFromDigits(digits: string): string | null {
  return new RegExp(`^[0-9]{${LEARNER_NUMBER_DIGITS}}$`).test(digits) ? LEARNER_NUMBER_PREFIX + digits : null;
}
