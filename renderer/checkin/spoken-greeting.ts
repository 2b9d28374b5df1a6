import type { Language } from '../i18n/i18n';

/** The speech voice language for each kiosk language: Cantonese for Traditional Chinese. */
const VOICE_LANGUAGE: Record<Language, string> = { 'zh-CN': 'zh-CN', 'zh-HK': 'zh-HK', en: 'en' };

function voiceFor(language: Language): SpeechSynthesisVoice | undefined {
  const wanted = VOICE_LANGUAGE[language].toLowerCase();
  return speechSynthesis.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase().startsWith(wanted));
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
