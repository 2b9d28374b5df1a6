import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HomeScreen } from './screens/HomeScreen';
import type { LateCheckIn } from './screens/ManualCheckInScreen';
import { lazyScreen, ScreenLoadBoundary, ScreenLoading, ScreenLoadProblem } from './screens/lazy-screen';
import { KioskContext, type KioskServices } from './kiosk-context';
import type { EnrolledKioskConfig } from '../sync/protocol/kiosk-host-api';
import { DEFAULT_LANGUAGE } from './i18n/i18n';
import { useIdle } from './senior/use-idle';
import { IdleOverlay } from './senior/IdleOverlay';
import { DEFAULT_TEXT_SIZE, setTextSize, useTextSize } from './senior/text-size';
import { stopSpeaking } from './senior/speech';
import { endStaffSession, onStaffSessionExpired } from './staff/staff-session';
import { whenHomeSettled } from './after-first-paint';

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
const StaffUsbScreen = lazyScreen(async () => (await import('./screens/StaffUsbScreen')).StaffUsbScreen);

type Screen = 'home' | 'check-in' | 'credits' | 'staff-pin' | 'staff' | 'manual-check-in' | 'learn' | 'staff-courses' | 'staff-cards' | 'staff-usb';

/** The home and the PIN pad (which asks only the host) show before the database is open. */
const NEEDS_DATABASE = new Set<Screen>(['check-in', 'credits', 'staff', 'manual-check-in', 'learn', 'staff-courses', 'staff-cards', 'staff-usb']);

interface AppProps {
  config: EnrolledKioskConfig;
  /** Opens the database and sync (kiosk-services.ts), once however often it is called; the home is shown without waiting for them. */
  loadServices: () => Promise<KioskServices>;
}

/** One task per screen; every screen can get back home in one tap. */
export function App({ config, loadServices }: AppProps) {
  const [services, setServices] = useState<KioskServices | null>(null);
  const [servicesFailed, setServicesFailed] = useState(false);
  const [screen, setScreen] = useState<Screen>('home');
  const servicesNeeded = NEEDS_DATABASE.has(screen);
  // The database opens once the home has settled (after-first-paint.ts), so its work never holds
  // up the home's first frames; a screen that needs it before then asks for it at once.
  useEffect(() => {
    let current = true;
    const open = () =>
      loadServices().then(
        (opened) => current && setServices(opened),
        (error: unknown) => {
          console.error('The kiosk database could not be opened:', error);
          if (current) setServicesFailed(true);
        },
      );
    if (servicesNeeded) void open();
    else void whenHomeSettled().then(() => current && open());
    return () => {
      current = false;
    };
  }, [loadServices, servicesNeeded]);
  const { i18n } = useTranslation();
  const textSize = useTextSize();
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


  return (
    <KioskContext.Provider value={services}>
      <div aria-hidden={secondsLeft !== null} inert={secondsLeft !== null}>
        <ScreenLoadBoundary key={screen} onHome={home}>
          <Suspense fallback={<ScreenLoading />}>{services || !NEEDS_DATABASE.has(screen) ? currentScreen() : waitForServices()}</Suspense>
        </ScreenLoadBoundary>
      </div>
      {secondsLeft !== null && <IdleOverlay secondsLeft={secondsLeft} onStillHere={stillHere} />}
    </KioskContext.Provider>
  );

  /** A screen tapped in the moment before the database is open waits for it; a reload retries a failed open. */
  function waitForServices() {
    return servicesFailed ? <ScreenLoadProblem onRetry={() => window.location.reload()} onHome={home} /> : <ScreenLoading />;
  }

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
        return <StaffSessionsScreen onCheckIn={() => setScreen('check-in')} onManualCheckIn={(late) => { setLateCheckIn(late); setScreen('manual-check-in'); }} onCourses={() => setScreen('staff-courses')} onCards={() => setScreen('staff-cards')} onUsb={() => setScreen('staff-usb')} onExit={home} />;
      case 'staff-cards':
        return <StaffCardsScreen onBack={() => setScreen('staff')} />;
      case 'staff-usb':
        return <StaffUsbScreen onBack={() => setScreen('staff')} />;
      case 'staff-courses':
        return <StaffCoursesScreen onBack={() => setScreen('staff')} />;
      case 'manual-check-in':
        return <ManualCheckInScreen late={lateCheckIn} onBack={() => setScreen('staff')} />;
      default:
        return <HomeScreen onCheckIn={() => setScreen('check-in')} onMyCredits={() => setScreen('credits')} onStaff={() => setScreen('staff-pin')} onLearn={() => setScreen('learn')} />;
    }
  }
}
