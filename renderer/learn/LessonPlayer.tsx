import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoursePackage, Lesson } from '../../sync/protocol/course-package';
import { reachesCompletion } from '../../sync/protocol/lesson-progress';
import { useKiosk } from '../kiosk-context';
import { resumePosition, saveLessonProgress } from './lesson-progress';
import { firstVisibleBlock, readingBlocks, readingPlaceKey } from './reading-place';
import { noteActivity } from '../senior/use-idle';

export interface Learner {
  learnerId: string;
  displayName: string;
}

interface LessonPlayerProps {
  course: CoursePackage;
  lesson: Lesson;
  learner: Learner | null;
}

const SPEEDS = [0.75, 1, 1.25];
/** Save the position this often while playing, so a kiosk restart loses at most this much. */
const SAVE_EVERY_SECONDS = 5;

function contentUrl(course: CoursePackage, file: string): string {
  return `/content/${encodeURIComponent(course.id)}/${encodeURIComponent(file)}`;
}

/** Progress shared by media and reading lessons: keeps the learner's place and notices completion. */
function useLessonProgress(course: CoursePackage, lesson: Lesson, learner: Learner | null) {
  const { db, config } = useKiosk();
  const [completed, setCompleted] = useState(false);
  const lastSaved = useRef(-Infinity);
  const report = useCallback(
    (positionSeconds: number, force = false) => {
      const reached = reachesCompletion(positionSeconds, lesson.durationSeconds);
      if (reached) setCompleted(true);
      if (!learner) return;
      if (!force && !reached && Math.abs(positionSeconds - lastSaved.current) < SAVE_EVERY_SECONDS) return;
      lastSaved.current = positionSeconds;
      void saveLessonProgress(db, config, {
        learnerId: learner.learnerId,
        courseId: course.id,
        lessonId: lesson.id,
        positionSeconds,
        durationSeconds: lesson.durationSeconds,
      });
    },
    [db, config, course.id, lesson.id, lesson.durationSeconds, learner],
  );
  return { completed, report };
}

function seekBack(element: HTMLMediaElement | null): void {
  if (element) element.currentTime = Math.max(0, element.currentTime - 10);
}

function setRate(element: HTMLMediaElement | null, rate: number): void {
  if (element) element.playbackRate = rate;
}

function setVolumeOf(element: HTMLMediaElement | null, volume: number): void {
  if (element) element.volume = volume;
}

/**
 * Chromium's document keeps every caption track shown (its style engine's set of text tracks, for
 * ::cue styles) until the track's mode changes away from showing while it is still in its video
 * (HTMLMediaElement::TextTrackModeChanged); nothing else takes it out. Left in that set, a track
 * holds its <track> element and its cues for good, and while the <track> is still inside its
 * video, the video, React's props on it and the whole player too: the soak bench saw some two
 * hundred nodes kept per lesson left (Document → StyleEngine → TextTrack → <track> → <video>),
 * and, once the <track> was taken out, still some ten (the track and its cues). So the track is
 * switched off first, which takes it out of the set, then taken out of its video.
 */
function releaseCaptionTracks(element: HTMLMediaElement): void {
  for (const track of element.querySelectorAll('track')) {
    track.track.mode = 'disabled';
    track.remove();
  }
}

/** Shows or hides the lesson's caption track; the browser has no attribute for this. */
function applyCaptions(element: HTMLMediaElement | null, on: boolean): void {
  const track = element?.textTracks[0];
  if (track) track.mode = on ? 'showing' : 'hidden';
}

function MediaLesson({ course, lesson, learner }: LessonPlayerProps) {
  const { t } = useTranslation();
  const { db } = useKiosk();
  const media = useRef<HTMLAudioElement & HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [captions, setCaptions] = useState(true);
  const [volume, setVolume] = useState(1);
  const [position, setPosition] = useState(0);
  const { completed, report } = useLessonProgress(course, lesson, learner);

  useEffect(() => {
    if (!learner) return;
    void resumePosition(db, learner.learnerId, course.id, lesson.id).then((seconds) => {
      if (media.current && seconds > 0) media.current.currentTime = seconds;
    });
  }, [db, learner, course.id, lesson.id]);

  useEffect(() => applyCaptions(media.current, captions), [captions]);

  // Leaving a lesson (Back, Home, the idle reset) or the kiosk hiding its page saves the exact
  // place, not the last 5-second mark, so the learner comes back to where they left.
  useEffect(() => {
    const element = media.current;
    const save = () => {
      if (element && element.currentTime > 0) report(element.currentTime, true);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      save();
    };
  }, [report]);
  useEffect(() => {
    const element = media.current;
    return () => {
      if (element) releaseCaptionTracks(element);
    };
  }, []);

  // Read the element when a handler runs, not at render time, when it may not exist yet.
  const el = () => media.current;
  const toggle = () => {
    const element = el();
    if (!element) return;
    if (element.paused) void element.play();
    else element.pause();
  };
  const commonProps = {
    ref: media,
    src: contentUrl(course, lesson.file),
    preload: 'metadata' as const,
    'data-testid': 'lesson-media',
    onPlay: () => setPlaying(true),
    onPause: () => {
      setPlaying(false);
      report(el()?.currentTime ?? 0, true);
    },
    onEnded: () => report(lesson.durationSeconds, true),
    onTimeUpdate: () => {
      const now = el()?.currentTime ?? 0;
      setPosition(now);
      report(now);
    },
    onLoadedMetadata: () => applyCaptions(media.current, captions),
  };
  const track = lesson.subtitles ? (
    <track kind="captions" src={contentUrl(course, lesson.subtitles.file)} srcLang="zh-CN" label={t('learn.captionsOn')} default />
  ) : null;
  const percent = lesson.durationSeconds > 0 ? Math.min(100, Math.round((position / lesson.durationSeconds) * 100)) : 0;
  return (
    <div className="player">
      {lesson.kind === 'video' ? <video {...commonProps} className="player-video">{track}</video> : <audio {...commonProps}>{track}</audio>}
      <p className="player-position" data-testid="lesson-position" data-percent={percent}>
        {t('learn.position', { percent })}
      </p>
      <div className="player-controls">
        <button type="button" className="button" onClick={toggle} data-testid="play-pause">
          {playing ? `❚❚ ${t('learn.pause')}` : `▶ ${t('learn.play')}`}
        </button>
        <button type="button" className="button secondary" onClick={() => seekBack(el())}>
          ↺ {t('learn.back10')}
        </button>
        <div className="row" role="group" aria-label={t('learn.speed')}>
          {SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              className={s === speed ? 'button language current' : 'button language'}
              aria-pressed={s === speed}
              onClick={() => {
                setSpeed(s);
                setRate(el(), s);
              }}
            >
              {s}×
            </button>
          ))}
        </div>
        {lesson.subtitles && (
          <button type="button" className="button secondary" aria-pressed={captions} onClick={() => setCaptions(!captions)}>
            {captions ? t('learn.captionsOn') : t('learn.captionsOff')}
          </button>
        )}
        <div className="row" role="group" aria-label={t('learn.volume', { percent: Math.round(volume * 100) })}>
          {[
            [-0.25, t('learn.quieter')],
            [0.25, t('learn.louder')],
          ].map(([step, label]) => (
            <button
              key={String(label)}
              type="button"
              className="button secondary"
              onClick={() => {
                const next = Math.min(1, Math.max(0, volume + Number(step)));
                setVolume(next);
                setVolumeOf(el(), next);
              }}
            >
              {label}
            </button>
          ))}
          <span className="player-volume">{t('learn.volume', { percent: Math.round(volume * 100) })}</span>
        </div>
      </div>
      {completed && <LessonComplete learner={learner} />}
    </div>
  );
}

/** Pages and readings have no clock of their own: time on screen stands in for the position. */
function ReadingLesson({ course, lesson, learner }: LessonPlayerProps) {
  const { t } = useTranslation();
  const { db } = useKiosk();
  const [seconds, setSeconds] = useState<number | null>(null);
  const { completed, report } = useLessonProgress(course, lesson, learner);
  const page = useRef<HTMLIFrameElement>(null);
  const placeKey = learner ? readingPlaceKey(learner.learnerId, course.id, lesson.id) : null;

  // Time already spent on this reading counts on: coming back does not start it again from 0.
  useEffect(() => {
    let cancelled = false;
    void (learner ? resumePosition(db, learner.learnerId, course.id, lesson.id) : Promise.resolve(0)).then((start) => {
      if (!cancelled) setSeconds(start);
    });
    return () => {
      cancelled = true;
    };
  }, [db, learner, course.id, lesson.id]);
  const counting = seconds !== null;
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setSeconds((s) => Math.min(lesson.durationSeconds, (s ?? 0) + 1)), 1000);
    return () => clearInterval(timer);
  }, [counting, lesson.durationSeconds]);
  useEffect(() => {
    if (seconds !== null) report(seconds);
  }, [seconds, report]);
  // Leaving saves the time spent now rather than at the next 5-second mark.
  const latest = useRef(seconds);
  useEffect(() => {
    latest.current = seconds;
  }, [seconds]);
  useEffect(() => () => {
    if (latest.current !== null) report(latest.current, true);
  }, [report]);

  // The lesson's page is the kiosk's own origin (no scripts run in it), so the player can follow
  // its scrolling: that keeps the idle reset away, and keeps the paragraph to come back to.
  const onLoad = () => {
    const frame = page.current?.contentWindow;
    const doc = page.current?.contentDocument;
    if (!frame || !doc) return;
    const blocks = readingBlocks(doc);
    const saved = placeKey ? Number(localStorage.getItem(placeKey) ?? 0) : 0;
    if (saved > 0) blocks[saved]?.scrollIntoView({ block: 'start' });
    frame.addEventListener('scroll', () => {
      noteActivity();
      if (placeKey) localStorage.setItem(placeKey, String(firstVisibleBlock(blocks)));
    }, { passive: true });
    for (const type of ['pointerdown', 'touchstart', 'wheel', 'keydown']) frame.addEventListener(type, noteActivity, { passive: true });
  };

  const shown = seconds ?? 0;
  const percent = lesson.durationSeconds > 0 ? Math.round((shown / lesson.durationSeconds) * 100) : 0;
  return (
    <div className="player">
      <iframe ref={page} className="player-page" src={contentUrl(course, lesson.file)} title={lesson.title['zh-CN']} sandbox="allow-same-origin" onLoad={onLoad} data-testid="lesson-page" />
      <p className="player-position" data-testid="lesson-position" data-percent={percent}>
        {t('learn.position', { percent })}
      </p>
      {completed && <LessonComplete learner={learner} />}
    </div>
  );
}

function LessonComplete({ learner }: { learner: Learner | null }) {
  const { t } = useTranslation();
  return (
    <section className="confirmation success" role="status" data-testid="lesson-complete">
      <p className="confirmation-icon" aria-hidden="true">✓</p>
      <h2>{learner ? t('learn.completed') : t('learn.completedNoCard')}</h2>
    </section>
  );
}

export function LessonPlayer(props: LessonPlayerProps) {
  return props.lesson.kind === 'audio' || props.lesson.kind === 'video' ? <MediaLesson {...props} /> : <ReadingLesson {...props} />;
}
