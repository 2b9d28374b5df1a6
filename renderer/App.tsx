import { useState } from 'react';
import { HomeScreen } from './screens/HomeScreen';
import { CheckInScreen } from './screens/CheckInScreen';
import { CreditsScreen } from './screens/CreditsScreen';
import { StaffPinScreen } from './screens/StaffPinScreen';
import { StaffSessionsScreen } from './screens/StaffSessionsScreen';
import { ManualCheckInScreen } from './screens/ManualCheckInScreen';

type Screen = 'home' | 'check-in' | 'credits' | 'staff-pin' | 'staff' | 'manual-check-in';

/** One task per screen; every screen can get back home in one tap. */
export function App() {
  const [screen, setScreen] = useState<Screen>('home');
  const home = () => setScreen('home');
  switch (screen) {
    case 'check-in':
      return <CheckInScreen onHome={home} />;
    case 'credits':
      return <CreditsScreen onHome={home} />;
    case 'staff-pin':
      return <StaffPinScreen onUnlocked={() => setScreen('staff')} onHome={home} />;
    case 'staff':
      return <StaffSessionsScreen onCheckIn={() => setScreen('check-in')} onManualCheckIn={() => setScreen('manual-check-in')} onExit={home} />;
    case 'manual-check-in':
      return <ManualCheckInScreen onBack={() => setScreen('staff')} />;
    default:
      return <HomeScreen onCheckIn={() => setScreen('check-in')} onMyCredits={() => setScreen('credits')} onStaff={() => setScreen('staff-pin')} />;
  }
}
