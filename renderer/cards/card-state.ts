import type { SiteLearner } from '../../sync/protocol/site-learner';

export type ShownCard = NonNullable<SiteLearner['card']>;

/** What staff can do with a learner's card on this kiosk, judged offline against its own clock. */
export type CardState = { kind: 'valid'; card: ShownCard } | { kind: 'expired'; card: ShownCard } | { kind: 'none' };

/**
 * A card revoked since the directory last synced is treated as no card: showing it would only
 * produce a QR the kiosk itself refuses.
 */
export function cardState(learner: Pick<SiteLearner, 'card'>, isRevoked: (serial: number) => boolean, now: Date): CardState {
  const card = learner.card;
  if (!card || isRevoked(card.serial)) return { kind: 'none' };
  return Date.parse(card.expiresAt) <= now.getTime() ? { kind: 'expired', card } : { kind: 'valid', card };
}
