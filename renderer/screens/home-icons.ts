/** The symbols on the home's three choices: text, so they scale with the senior text sizes. */
export const HOME_ICONS = { checkIn: '✓', myCredits: '★', learn: '▶' } as const;
