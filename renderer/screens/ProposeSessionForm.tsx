import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TZDate } from '@date-fns/tz';
import { useKiosk } from '../kiosk-context';
import { useObservable } from '../use-observable';
import { useSiteTime } from '../i18n/site-time';
import {
  CLASS_TOPICS,
  MAX_REPEAT_WEEKS,
  proposalDays,
  proposalProblem,
  proposedSessions,
  saveProposedSessions,
  stepTime,
  type ClassTopic,
} from '../staff/propose-session';
import type { CoursePackage } from '../../sync/protocol/course-package';

type Subject = { kind: 'course'; id: string } | { kind: 'topic'; topic: ClassTopic };

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A big − value + control: every value is reached by taps, none by typing. */
function Stepper({ label, value, testId, onStep }: { label: string; value: string; testId: string; onStep: (steps: number) => void }) {
  const { t } = useTranslation();
  return (
    <div className="stepper" role="group" aria-label={label} data-testid={testId}>
      <span className="stepper-label">{label}</span>
      <button type="button" className="button key secondary" aria-label={t('staffmode.propose.less', { what: label })} onClick={() => onStep(-1)}>
        −
      </button>
      <output className="stepper-value" aria-live="polite">
        {value}
      </output>
      <button type="button" className="button key secondary" aria-label={t('staffmode.propose.more', { what: label })} onClick={() => onStep(1)}>
        +
      </button>
    </div>
  );
}

/**
 * Staff make a class on the kiosk, offline: pick a course of the kiosk's catalog or a topic, a
 * day from the next fourteen, times with +/- steppers and an optional weekly repeat. The title
 * comes from the course or topic. The classes are proposals: check-ins work at once, and their
 * hours stay under review until the platform approves them.
 */
export function ProposeSessionForm({ onDone }: { onDone: (saved: number) => void }) {
  const { t, i18n } = useTranslation();
  const { db, config } = useKiosk();
  const siteTime = useSiteTime();
  const [now] = useState(() => new Date());
  const days = proposalDays(now, siteTime.timeZone);
  const courses = useObservable(() => db.courses.find().$, [], [db]);
  const [subject, setSubject] = useState<Subject | null>(null);
  const [day, setDay] = useState(days[0] as string);
  const nextHour = (new TZDate(now, siteTime.timeZone).getHours() + 1) % 24;
  const [startMinutes, setStartMinutes] = useState(Math.min(nextHour, 22) * 60);
  const [endMinutes, setEndMinutes] = useState(Math.min(nextHour, 22) * 60 + 60);
  const [repeatWeeks, setRepeatWeeks] = useState(0);
  const [failed, setFailed] = useState(false);
  const language = i18n.language as keyof CoursePackage['title'];
  const courseTitle = (manifest: CoursePackage) => manifest.title[language] ?? manifest.title['zh-CN'];
  const chosenCourse = subject?.kind === 'course' ? courses.find((c) => c.id === subject.id) : undefined;
  const title = chosenCourse ? courseTitle(chosenCourse.manifest as CoursePackage) : subject?.kind === 'topic' ? t(`staffmode.topic.${subject.topic}`) : '';
  const input = { title, courseId: chosenCourse?.id, day, startMinutes, endMinutes, repeatWeeks };
  const problem = subject ? proposalProblem(input) : 'title-missing';
  const dayLabel = (d: string) => siteTime.format({ weekday: 'short', month: 'short', day: 'numeric' }).format(new TZDate(`${d}T12:00:00`, siteTime.timeZone));

  async function save() {
    if (problem) return;
    try {
      const sessions = proposedSessions(input, config, siteTime.timeZone);
      await saveProposedSessions(db, sessions);
      onDone(sessions.length);
    } catch {
      setFailed(true);
    }
  }

  return (
    <section className="propose-session" aria-labelledby="propose-title" data-testid="propose-session">
      <h2 id="propose-title">{t('staffmode.propose.title')}</h2>
      <p>{t('staffmode.propose.explain')}</p>
      <h3>{t('staffmode.propose.what')}</h3>
      <div className="row" role="radiogroup" aria-label={t('staffmode.propose.what')} data-testid="propose-subject">
        {courses.map((c) => (
          <button
            key={c.id}
            type="button"
            role="radio"
            className="button secondary"
            aria-checked={subject?.kind === 'course' && subject.id === c.id}
            onClick={() => setSubject({ kind: 'course', id: c.id })}
          >
            {courseTitle(c.manifest as CoursePackage)}
          </button>
        ))}
        {CLASS_TOPICS.map((topic) => (
          <button
            key={topic}
            type="button"
            role="radio"
            className="button secondary"
            data-topic={topic}
            aria-checked={subject?.kind === 'topic' && subject.topic === topic}
            onClick={() => setSubject({ kind: 'topic', topic })}
          >
            {t(`staffmode.topic.${topic}`)}
          </button>
        ))}
      </div>
      <h3>{t('staffmode.propose.day')}</h3>
      <div className="row" role="radiogroup" aria-label={t('staffmode.propose.day')} data-testid="propose-day">
        {days.map((d) => (
          <button key={d} type="button" role="radio" className="button secondary" data-day={d} aria-checked={day === d} onClick={() => setDay(d)}>
            {dayLabel(d)}
          </button>
        ))}
      </div>
      <div className="row">
        <Stepper label={t('staffmode.propose.starts')} value={clock(startMinutes)} testId="propose-start" onStep={(n) => setStartMinutes((m) => stepTime(m, n))} />
        <Stepper label={t('staffmode.propose.ends')} value={clock(endMinutes)} testId="propose-end" onStep={(n) => setEndMinutes((m) => stepTime(m, n))} />
        <Stepper
          label={t('staffmode.propose.repeat')}
          value={repeatWeeks === 0 ? t('staffmode.propose.once') : t('staffmode.propose.weeks', { count: repeatWeeks })}
          testId="propose-repeat"
          onStep={(n) => setRepeatWeeks((w) => Math.min(MAX_REPEAT_WEEKS, Math.max(0, w + n)))}
        />
      </div>
      {subject && (
        <p className="lead" data-testid="propose-summary">
          {t('staffmode.propose.summary', { title, day: dayLabel(day), start: clock(startMinutes), end: clock(endMinutes) })}
        </p>
      )}
      {subject && problem && (
        <p className="problem-text" role="alert" data-testid="propose-problem" data-problem={problem}>
          {t(`staffmode.propose.problem-${problem}`)}
        </p>
      )}
      {failed && (
        <p className="problem-text" role="alert">
          {t('staffmode.propose.failed')}
        </p>
      )}
      <div className="row">
        <button type="button" className="button" disabled={problem !== null} onClick={() => void save()} data-testid="propose-save">
          {t('staffmode.propose.save', { count: repeatWeeks + 1 })}
        </button>
        <button type="button" className="button secondary" onClick={() => onDone(0)}>
          {t('staffmode.propose.cancel')}
        </button>
      </div>
    </section>
  );
}
