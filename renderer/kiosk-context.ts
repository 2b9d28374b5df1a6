import { createContext, useContext } from 'react';
import type { KioskDatabase } from './db/kiosk-database';
import type { KioskReplication } from '../sync/kiosk/kiosk-replication';
import type { PublicKioskConfig } from '../electron/host/kiosk-config';

export interface KioskServices {
  db: KioskDatabase;
  config: PublicKioskConfig;
  replication: KioskReplication;
}

export const KioskContext = createContext<KioskServices | null>(null);

export function useKiosk(): KioskServices {
  const services = useContext(KioskContext);
  if (!services) throw new Error('useKiosk outside KioskContext');
  return services;
}
