import { useState } from 'react';
import { HomeScreen } from './screens/HomeScreen';
import { CheckInScreen } from './screens/CheckInScreen';
import { CreditsScreen } from './screens/CreditsScreen';
import { StaffPinScreen } from './screens/StaffPinScreen';
import { StaffSessionsScreen } from './screens/StaffSessionsScreen';
import { LearnScreen } from './screens/LearnScreen';

type Screen = 'home' | 'check-in' | 'credits' | 'staff-pin' | 'staff' | 'learn';

/** One task per screen; every screen can get back home in one tap. */
export function App() {
  const [screen, setScreen] = useState<Screen>('home');
  const home = () => setScreen('home');
  switch (screen) {
    case 'check-in':
      return <CheckInScreen onHome={home} />;
    case 'credits':
      return <CreditsScreen onHome={home} />;
    case 'learn':
      return <LearnScreen onHome={home} />;
    case 'staff-pin':
      return <StaffPinScreen onUnlocked={() => setScreen('staff')} onHome={home} />;
    case 'staff':
      return <StaffSessionsScreen onCheckIn={() => setScreen('check-in')} onExit={home} />;
    default:
      return <HomeScreen onCheckIn={() => setScreen('check-in')} onMyCredits={() => setScreen('credits')} onStaff={() => setScreen('staff-pin')} onLearn={() => setScreen('learn')} />;
  }
}
