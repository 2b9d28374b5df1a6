import { describe, expect, it } from 'vitest';
import { searchableLearners, searchLearners } from '../../renderer/staff/learner-search';
import { cardState } from '../../renderer/cards/card-state';

const learners = [
  { id: 'GD2026000101', displayName: '陈美玲' },
  { id: 'GD2026000102', displayName: '张伟明' },
  { id: 'GD2026000103', displayName: '李志强' },
  { id: 'GD2026000104', displayName: '王张华' },
];
const index = searchableLearners(learners);
const ids = (query: string) => searchLearners(index, query).map((l) => l.id);

describe('learner search', () => {
  it('finds by pinyin initials, full pinyin, characters and number', () => {
    expect(ids('zwm')).toEqual(['GD2026000102']);
    expect(ids('ZHANG WEI')).toEqual(['GD2026000102']);
    expect(ids('美玲')).toEqual(['GD2026000101']);
    expect(ids('000103')).toEqual(['GD2026000103']);
  });

  it('puts names that start with the query before names that only contain it', () => {
    expect(ids('zhang')).toEqual(['GD2026000102', 'GD2026000104']);
    expect(ids('张')).toEqual(['GD2026000102', 'GD2026000104']);
  });

  it('lists nobody for an empty query, and at most the limit', () => {
    expect(ids('  ')).toEqual([]);
    expect(searchLearners(index, 'gd2026', 2)).toHaveLength(2);
  });
});

describe('card state on the kiosk', () => {
  const card = { serial: 7, text: 'YX:abc', expiresAt: '2027-01-01T00:00:00.000Z' };
  const now = new Date('2026-11-23T00:00:00.000Z');

  it('shows a current card, and tells an expired or revoked card from a missing one', () => {
    expect(cardState({ card }, () => false, now)).toEqual({ kind: 'valid', card });
    expect(cardState({ card }, () => false, new Date('2027-01-01T00:00:00.000Z'))).toEqual({ kind: 'expired', card });
    expect(cardState({ card }, (serial) => serial === 7, now)).toEqual({ kind: 'none' });
    expect(cardState({}, () => false, now)).toEqual({ kind: 'none' });
  });
});
