import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LetterKeypad } from './LetterKeypad';
import { searchableLearners, searchLearners } from '../staff/learner-search';
import type { KioskLearner } from '../staff/use-site-learners';

interface LearnerFinderProps {
  learners: KioskLearner[];
  /** What tapping a found learner does, said above the results ("Tap a name to check them in"). */
  pickHint: string;
  onPick: (learner: KioskLearner) => void;
}

/** Find a learner of this site by name, pinyin, pinyin initials or number, offline. */
export function LearnerFinder({ learners, pickHint, onPick }: LearnerFinderProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const index = useMemo(() => searchableLearners(learners), [learners]);
  const found = searchLearners(index, query);
  const resultsId = useId();

  return (
    <div className="learner-finder">
      <label className="search">
        <span>{t('cards.searchLabel')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} aria-controls={resultsId} data-testid="learner-search" />
      </label>
      <LetterKeypad onLetter={(l) => setQuery((q) => q + l)} onDelete={() => setQuery((q) => q.slice(0, -1))} onClear={() => setQuery('')} />
      <div id={resultsId} aria-live="polite">
        {query.trim() !== '' && <p data-testid="learner-none">{found.length === 0 ? t('cards.noneFound') : pickHint}</p>}
        <ul className="found-learners" data-testid="found-learners">
          {found.map((learner) => (
            <li key={learner.id}>
              <button type="button" className="button secondary found-learner" onClick={() => onPick(learner)}>
                <span className="found-name">{learner.displayName}</span> <span className="roster-id">{learner.id}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
