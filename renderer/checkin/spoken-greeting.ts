import type { Language } from '../i18n/i18n';

/**
 * Voice languages for each kiosk language, best first: Cantonese for Traditional Chinese, which
 * some systems tag zh-HK and others yue (yue-HK, yue-Hant-HK).
 */
const VOICE_LANGUAGES: Record<Language, string[]> = { 'zh-CN': ['zh-cn'], 'zh-HK': ['zh-hk', 'yue'], en: ['en'] };

function voiceFor(language: Language): SpeechSynthesisVoice | undefined {
  const voices = speechSynthesis.getVoices();
  for (const wanted of VOICE_LANGUAGES[language]) {
    const voice = voices.find((v) => v.lang.replace('_', '-').toLowerCase().startsWith(wanted));
    if (voice) return voice;
  }
  return undefined;
}

/**
 * Says the greeting aloud when the kiosk has a voice for the language. Without one it stays
 * silent rather than reading Chinese with an English voice; without speechSynthesis at all, too.
 */
export function speakGreeting(text: string, language: Language): void {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined') return;
  const voice = voiceFor(language);
  if (!voice) return;
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
}
