import { describe, expect, it } from 'vitest';
import { learnerIdFromDigits } from '../../renderer/checkin/learner-number';

describe('learner number from keyed-in digits', () => {
  it('prefixes ten digits with GD', () => {
    expect(learnerIdFromDigits('2026000101')).toBe('GD2026000101');
  });

  it.each(['', '202600010', '20260001011', '20260001a1'])('refuses %j', (digits) => {
    expect(learnerIdFromDigits(digits)).toBeNull();
  });
});
