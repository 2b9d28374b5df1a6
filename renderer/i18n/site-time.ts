import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import { useTranslation } from 'react-i18next';
import { useKiosk } from '../kiosk-context';

/**
 * Class times and "today" are the site's (kiosk.json's timeZone), not the kiosk computer's: a
 * kiosk image left on UTC would otherwise show a 14:00 class at 06:00 and start "today" at 08:00.
 */
export function siteDayBounds(now: Date, timeZone: string): { from: string; to: string } {
  const start = startOfDay(new TZDate(now, timeZone));
  return { from: new Date(start.getTime()).toISOString(), to: new Date(addDays(start, 1).getTime()).toISOString() };
}

/** Date and time formats in the kiosk's language and the site's time zone. */
export function useSiteTime(): { timeZone: string; format: (options: Intl.DateTimeFormatOptions) => Intl.DateTimeFormat } {
  const { i18n } = useTranslation();
  const { config } = useKiosk();
  return { timeZone: config.timeZone, format: (options) => new Intl.DateTimeFormat(i18n.language, { ...options, timeZone: config.timeZone }) };
}
