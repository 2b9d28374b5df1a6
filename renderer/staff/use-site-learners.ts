import { useMemo } from 'react';
import { map } from 'rxjs';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import type { SiteLearner } from '../../sync/protocol/site-learner';

export type KioskLearner = Omit<SiteLearner, '_deleted'>;

/** The site's learners as pulled from the platform, and their names by learner number. */
export function useSiteLearners(): { learners: KioskLearner[]; nameOf: (learnerId: string) => string | undefined } {
  const { db } = useKiosk();
  const learners = useObservable(() => db.learners.find({ sort: [{ id: 'asc' }] }).$.pipe(map((docs) => docs.map((d) => d.toJSON() as KioskLearner))), [], [db]);
  const names = useMemo(() => new Map(learners.map((l) => [l.id, l.displayName])), [learners]);
  return { learners, nameOf: (learnerId) => names.get(learnerId) };
}
