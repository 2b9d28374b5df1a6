import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HomeScreen } from './screens/HomeScreen';
import type { LateCheckIn } from './screens/ManualCheckInScreen';
import { lazyScreen, ScreenLoadBoundary, ScreenLoading } from './screens/lazy-screen';
import { useKiosk } from './kiosk-context';
import { DEFAULT_LANGUAGE } from './i18n/i18n';
import { useIdle } from './senior/use-idle';
import { IdleOverlay } from './senior/IdleOverlay';
import { DEFAULT_TEXT_SIZE, setTextSize, useTextSize } from './senior/text-size';
import { stopSpeaking } from './senior/speech';
import { endStaffSession, onStaffSessionExpired } from './staff/staff-session';
import { closeEndedSessions } from './staff/session-status';

// Only the home is in the first bundle: every other screen (with the QR reader, the pinyin search,
// the card checks, the CSV export) is a chunk of its own, fetched from the kiosk host on first use.
const CheckInScreen = lazyScreen(async () => (await import('./screens/CheckInScreen')).CheckInScreen);
const CreditsScreen = lazyScreen(async () => (await import('./screens/CreditsScreen')).CreditsScreen);
const LearnScreen = lazyScreen(async () => (await import('./screens/LearnScreen')).LearnScreen);
const StaffPinScreen = lazyScreen(async () => (await import('./screens/StaffPinScreen')).StaffPinScreen);
const StaffSessionsScreen = lazyScreen(async () => (await import('./screens/StaffSessionsScreen')).StaffSessionsScreen);
const StaffCardsScreen = lazyScreen(async () => (await import('./screens/StaffCardsScreen')).StaffCardsScreen);
const StaffCoursesScreen = lazyScreen(async () => (await import('./screens/StaffCoursesScreen')).StaffCoursesScreen);
const ManualCheckInScreen = lazyScreen(async () => (await import('./screens/ManualCheckInScreen')).ManualCheckInScreen);

/** How often the kiosk looks for open sessions past their end, to close them itself. */
const ENDED_SESSION_CHECK_MS = 30_000;

type Screen = 'home' | 'check-in' | 'credits' | 'staff-pin' | 'staff' | 'manual-check-in' | 'learn' | 'staff-courses' | 'staff-cards';

/** One task per screen; every screen can get back home in one tap. */
export function App() {
  const { config, db } = useKiosk();
  const { i18n } = useTranslation();
  const textSize = useTextSize();
  const [screen, setScreen] = useState<Screen>('home');
  const [lateCheckIn, setLateCheckIn] = useState<LateCheckIn | undefined>(undefined);
  const [staffExpired, setStaffExpired] = useState(false);
  const home = () => {
    setStaffExpired(false);
    setScreen('home');
  };

  // Staff mode ends at home (by hand or when idle): the host forgets the token at once.
  useEffect(() => {
    if (screen === 'home') endStaffSession();
  }, [screen]);
  useEffect(
    () =>
      onStaffSessionExpired(() => {
        setStaffExpired(true);
        setScreen('staff-pin');
      }),
    [],
  );

  // Privacy on a shared kiosk: when nobody has touched it for a while, go home in the default
  // language and size. Unmounting the screen forgets the learner's name and credits, and staff
  // mode ends with it.
  const untouched = screen === 'home' && i18n.language === DEFAULT_LANGUAGE && textSize === DEFAULT_TEXT_SIZE;
  const { secondsLeft, stillHere } = useIdle(config.idleSeconds, !untouched, () => {
    stopSpeaking();
    home();
    setTextSize(DEFAULT_TEXT_SIZE);
    void i18n.changeLanguage(DEFAULT_LANGUAGE);
  });

  // A class nobody closed must not go on taking check-ins: past its end the kiosk closes it, with
  // a status version of its own like any staff change, so the platform takes the close too. It
  // looks whenever the open sessions change (a pull brings one) and on a timer (one ends).
  useEffect(() => {
    const close = () => void closeEndedSessions(db, new Date());
    const subscription = db.class_sessions.find({ selector: { status: 'open' } }).$.subscribe(close);
    const timer = setInterval(close, ENDED_SESSION_CHECK_MS);
    return () => {
      subscription.unsubscribe();
      clearInterval(timer);
    };
  }, [db]);

  return (
    <>
      <div aria-hidden={secondsLeft !== null} inert={secondsLeft !== null}>
        <ScreenLoadBoundary key={screen} onHome={home}>
          <Suspense fallback={<ScreenLoading />}>{currentScreen()}</Suspense>
        </ScreenLoadBoundary>
      </div>
      {secondsLeft !== null && <IdleOverlay secondsLeft={secondsLeft} onStillHere={stillHere} />}
    </>
  );

  function currentScreen() {
    switch (screen) {
      case 'check-in':
        return <CheckInScreen onHome={home} />;
      case 'credits':
        return <CreditsScreen onHome={home} />;
      case 'learn':
        return <LearnScreen onHome={home} />;
      case 'staff-pin':
        return (
          <StaffPinScreen
            key={staffExpired ? 'expired' : 'pin'}
            expired={staffExpired}
            onUnlocked={() => {
              setStaffExpired(false);
              setScreen('staff');
            }}
            onHome={home}
          />
        );
      case 'staff':
        return <StaffSessionsScreen onCheckIn={() => setScreen('check-in')} onManualCheckIn={(late) => { setLateCheckIn(late); setScreen('manual-check-in'); }} onCourses={() => setScreen('staff-courses')} onCards={() => setScreen('staff-cards')} onExit={home} />;
      case 'staff-cards':
        return <StaffCardsScreen onBack={() => setScreen('staff')} />;
      case 'staff-courses':
        return <StaffCoursesScreen onBack={() => setScreen('staff')} />;
      case 'manual-check-in':
        return <ManualCheckInScreen late={lateCheckIn} onBack={() => setScreen('staff')} />;
      default:
        return <HomeScreen onCheckIn={() => setScreen('check-in')} onMyCredits={() => setScreen('credits')} onStaff={() => setScreen('staff-pin')} onLearn={() => setScreen('learn')} />;
    }
  }
}
