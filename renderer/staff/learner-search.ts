import type { SiteLearner } from '../../sync/protocol/site-learner';
import { compact, matchesKeys, searchKeys, type SearchKeys } from '../search/search-keys';

type Learner = Omit<SiteLearner, '_deleted'>;

export interface SearchableLearner<L extends Learner = Learner> extends SearchKeys {
  learner: L;
}

export function searchableLearners<L extends Learner>(learners: L[]): SearchableLearner<L>[] {
  return learners.map((learner) => ({ learner, ...searchKeys(`${learner.id} ${learner.displayName}`, learner.displayName) }));
}

/**
 * Learners whose number, name, pinyin or pinyin initials contain the query, best first: a name
 * that starts with what was typed before one that merely contains it. An empty query finds none,
 * so the screen does not list a whole site's learners to whoever walks up.
 */
export function searchLearners<L extends Learner>(index: SearchableLearner<L>[], query: string, limit = 12): L[] {
  const q = compact(query);
  if (q === '') return [];
  const starts = (e: SearchableLearner<L>) => e.initials.startsWith(q) || e.spelled.startsWith(q) || e.learner.displayName.startsWith(q);
  return index
    .filter((entry) => matchesKeys(entry, q))
    .sort((a, b) => Number(starts(b)) - Number(starts(a)) || a.learner.id.localeCompare(b.learner.id))
    .slice(0, limit)
    .map((entry) => entry.learner);
}
