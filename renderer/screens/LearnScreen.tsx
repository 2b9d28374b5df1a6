import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { CardReader } from '../components/CardReader';
import { LetterKeypad } from '../components/LetterKeypad';
import type { NotACard } from '../checkin/scan-kind';
import { verifyCardOffline } from '../checkin/check-in';
import { searchableCourses, searchCourses } from '../learn/course-search';
import { useCourseCache } from '../learn/use-course-cache';
import { LessonPlayer, type Learner } from '../learn/LessonPlayer';
import { COURSE_CATEGORIES, type CourseCategory, type CoursePackage, type Lesson } from '../../sync/protocol/course-package';
import type { CardRejection } from '../../sync/protocol/learner-card';
import type { Language } from '../i18n/i18n';

type View = { kind: 'browse' } | { kind: 'course'; course: CoursePackage } | { kind: 'lesson'; course: CoursePackage; lesson: Lesson };

function Browse({ onOpen }: { onOpen: (course: CoursePackage) => void }) {
  const { t, i18n } = useTranslation();
  const { db } = useKiosk();
  const lang = i18n.language as Language;
  const [category, setCategory] = useState<CourseCategory | 'all'>('all');
  const [query, setQuery] = useState('');
  const records = useObservable(() => db.courses.find().$, [], [db]);
  const index = useMemo(() => searchableCourses(records.map((r) => r.manifest as CoursePackage)), [records]);
  const found = searchCourses(index, query).filter((c) => category === 'all' || c.category === category);
  return (
    <>
      <label className="search">
        <span>{t('learn.search')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="course-search" />
      </label>
      {/* Letters beside the results in landscape, so what a tap finds is in view. */}
      <div className="browse">
        <div className="browse-letters">
          {/* No typing needed: tap the first letter of each word's pinyin (广东菜: G D C). The box still takes a keyboard. */}
          <p>{t('learn.lettersHint')}</p>
          <LetterKeypad onLetter={(l) => setQuery((q) => q + l)} onDelete={() => setQuery((q) => q.slice(0, -1))} onClear={() => setQuery('')} />
        </div>
        <div className="browse-results">
          <div className="row" role="group" aria-label={t('learn.categoryLabel')}>
            {(['all', ...COURSE_CATEGORIES] as const).map((c) => (
              <button
                key={c}
                type="button"
                className={c === category ? 'button language current' : 'button language'}
                aria-pressed={c === category}
                onClick={() => setCategory(c)}
              >
                {t(`learn.category.${c}`)}
              </button>
            ))}
          </div>
          {found.length === 0 ? (
            <p className="lead">{t('learn.noResults')}</p>
          ) : (
            <ul className="course-tiles" data-testid="course-list">
              {found.map((course) => (
                <li key={course.id}>
                  <button type="button" className="button course-tile" onClick={() => onOpen(course)} data-course={course.id}>
                    <span className="course-title">{course.title[lang]}</span>
                    <span className="course-meta">
                      {t(`learn.category.${course.category}`)} · {t('learn.creditHours', { hours: course.creditHours })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </>
  );
}

function CourseLessons({ course, onPlay }: { course: CoursePackage; onPlay: (lesson: Lesson) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const status = useCourseCache(course);
  const percent = status.totalBytes > 0 ? Math.round((status.receivedBytes / status.totalBytes) * 100) : 0;
  return (
    <>
      <p className="lead">{course.summary[lang]}</p>
      {status.state === 'failed' && (
        <p className="problem-text" role="alert">
          {t('learn.failed')}
        </p>
      )}
      {status.state !== 'ready' && status.state !== 'failed' && (
        <p role="status" data-testid="course-preparing">
          {t('learn.preparing', { percent })}
        </p>
      )}
      <h2>{t('learn.lessons')}</h2>
      <ul className="course-tiles" data-testid="lesson-list" data-ready={status.state === 'ready'}>
        {course.lessons.map((lesson) => (
          <li key={lesson.id}>
            <button type="button" className="button course-tile" disabled={status.state !== 'ready'} onClick={() => onPlay(lesson)} data-lesson={lesson.id}>
              <span className="course-title">{lesson.title[lang]}</span>
              <span className="course-meta">{t(`learn.kind.${lesson.kind}`)}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Browse, search and play cached courses; a scanned learner card keeps progress and earns hours. */
export function LearnScreen({ onHome }: { onHome: () => void }) {
  const { t, i18n } = useTranslation();
  const { db } = useKiosk();
  const lang = i18n.language as Language;
  const [view, setView] = useState<View>({ kind: 'browse' });
  const [learner, setLearner] = useState<Learner | null>(null);
  const [rejected, setRejected] = useState<CardRejection | NotACard | null>(null);

  const onCard = useCallback(
    (text: string) => {
      void (async () => {
        const verdict = await verifyCardOffline(db, text, new Date());
        if (!verdict.ok) return setRejected(verdict.reason);
        setRejected(null);
        setLearner({ learnerId: verdict.card.learnerId, displayName: verdict.card.displayName });
      })();
    },
    [db],
  );

  const title = view.kind === 'browse' ? t('learn.title') : view.kind === 'course' ? view.course.title[lang] : view.lesson.title[lang];
  const back =
    view.kind === 'lesson' ? () => setView({ kind: 'course', course: view.course }) : view.kind === 'course' ? () => setView({ kind: 'browse' }) : undefined;
  return (
    <ScreenFrame title={title} onHome={onHome} {...(back ? { onBack: back } : {})}>
      <p data-testid="learner" data-learner={learner?.learnerId ?? ''}>
        {learner ? t('learn.learner', { name: learner.displayName }) : t('learn.cardPrompt')}
      </p>
      {rejected && (
        <p className="problem-text" role="alert" data-testid="card-problem" data-reason={rejected}>
          {t(`card.${rejected}`)}
        </p>
      )}
      {/* The camera looks for a card until the learner is known; never during a lesson, which needs the CPU. */}
      <CardReader onCard={onCard} onNotACard={setRejected} camera={learner === null && view.kind !== 'lesson'} />
      {view.kind === 'browse' && <Browse onOpen={(course) => setView({ kind: 'course', course })} />}
      {view.kind === 'course' && <CourseLessons course={view.course} onPlay={(lesson) => setView({ kind: 'lesson', course: view.course, lesson })} />}
      {view.kind === 'lesson' && <LessonPlayer key={view.lesson.id} course={view.course} lesson={view.lesson} learner={learner} />}
    </ScreenFrame>
  );
}
