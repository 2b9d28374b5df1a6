/**
 * A short chime when a check-in is recorded, and a single low tone when a card is refused, made
 * with Web Audio so the kiosk needs no sound files. Silent where Web Audio is missing.
 */
let audio: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  audio ??= new AudioContext();
  // Chromium starts contexts suspended until the page has had a user gesture; a kiosk has had one.
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  return audio;
}

function tone(context: AudioContext, frequency: number, startsAfter: number, seconds: number) {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  const start = context.currentTime + startsAfter;
  oscillator.type = 'sine';
  oscillator.frequency.value = frequency;
  // Soft attack and release: a click-free chime that does not startle.
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(0.25, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.001, start + seconds);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(start);
  oscillator.stop(start + seconds);
}

export function playConfirmationSound(kind: 'success' | 'problem'): void {
  const context = audioContext();
  if (!context) return;
  if (kind === 'success') {
    tone(context, 660, 0, 0.18);
    tone(context, 880, 0.16, 0.3);
  } else {
    tone(context, 330, 0, 0.4);
  }
}
