/**
 * The page's one AudioContext, for the check-in chime and eSpeak's speech. Making the first one
 * blocks the page's thread for about 200 ms (Chromium opens the audio device), long enough to
 * split a USB scanner's burst: so it is made once, when the kiosk is idle (warmAudioOutput), not
 * at the moment a card is read.
 */
let audio: AudioContext | null = null;

export function audioOutput(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  audio ??= new AudioContext();
  // Chromium starts contexts suspended until the page has had a user gesture; a kiosk has had one.
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  return audio;
}

/** Makes the AudioContext when the page next has nothing to do. */
export function warmAudioOutput(): void {
  if (audio || typeof AudioContext === 'undefined') return;
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => audioOutput());
  else setTimeout(() => audioOutput(), 0);
}
