import type { Language } from '../i18n/i18n';

/** speechSynthesis is missing in some Electron builds and browsers; the button hides then. */
export function speechAvailable(): boolean {
  return 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function';
}

// Cantonese voices are tagged zh-HK on most systems and yue(-HK) on some.
const VOICE_LANGS: Record<Language, string[]> = {
  'zh-CN': ['zh-CN', 'cmn-CN', 'zh'],
  'zh-HK': ['zh-HK', 'yue-HK', 'yue'],
  en: ['en-GB', 'en-US', 'en'],
};

/** Reads the text aloud in the learner's language, interrupting anything still being read. */
export function speak(text: string, language: Language) {
  if (!speechAvailable()) return;
  const synth = window.speechSynthesis;
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  // Slower than default: easier to follow for older listeners.
  utterance.rate = 0.9;
  const voices = synth.getVoices();
  const voice = VOICE_LANGS[language]
    .map((tag) => voices.find((v) => v.lang.toLowerCase().replace('_', '-').startsWith(tag.toLowerCase())))
    .find((v) => v !== undefined);
  if (voice) utterance.voice = voice;
  synth.speak(utterance);
}

export function stopSpeaking() {
  if (speechAvailable()) window.speechSynthesis.cancel();
}
