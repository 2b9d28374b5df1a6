import { createContext, useContext } from 'react';
import type { KioskDatabase } from './db/kiosk-database';
import type { KioskReplication } from '../sync/kiosk/kiosk-replication';
import type { EnrolledKioskConfig } from '../sync/protocol/kiosk-host-api';

export interface KioskServices {
  db: KioskDatabase;
  config: EnrolledKioskConfig;
  replication: KioskReplication;
}

export const KioskContext = createContext<KioskServices | null>(null);

export function useKiosk(): KioskServices {
  const services = useContext(KioskContext);
  if (!services) throw new Error('useKiosk outside KioskContext');
  return services;
}
