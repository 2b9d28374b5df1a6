/**
 * A short chime when a check-in is recorded, and a single low tone when a card is refused, made
 * with Web Audio so the kiosk needs no sound files. Silent where Web Audio is missing.
 */
import { audioOutput } from '../senior/audio-output';

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
  const context = audioOutput();
  if (!context) return;
  if (kind === 'success') {
    tone(context, 660, 0, 0.18);
    tone(context, 880, 0.16, 0.3);
  } else {
    tone(context, 330, 0, 0.4);
  }
}
