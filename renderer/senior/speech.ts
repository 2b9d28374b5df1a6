import type { Language } from '../i18n/i18n';
import type { SpeechReply, SpeechRequest } from './speech-worker';
import { audioOutput, warmAudioOutput } from './audio-output';

// Cantonese voices are tagged zh-HK on most systems and yue(-HK) on some; names with an
// underscore (zh_CN) come from some Linux speech services.
const VOICE_LANGS: Record<Language, string[]> = {
  'zh-CN': ['zh-cn', 'cmn'],
  'zh-HK': ['zh-hk', 'yue'],
  en: ['en'],
};

/** The system's voice for the language (Windows ships zh-CN and zh-HK voices), if it has one. */
export function systemVoice(language: Language): SpeechSynthesisVoice | undefined {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance !== 'function') return undefined;
  const voices = speechSynthesis.getVoices();
  for (const wanted of VOICE_LANGS[language]) {
    const voice = voices.find((v) => v.lang.replace('_', '-').toLowerCase().startsWith(wanted));
    if (voice) return voice;
  }
  return undefined;
}

/**
 * The eSpeak NG synthesizer the kiosk ships (speech-worker.ts) needs a worker, WebAssembly and
 * Web Audio: Chromium and Electron have all three, so a Linux kiosk without speech voices
 * still speaks.
 */
function offlineSpeechAvailable(): boolean {
  return typeof Worker === 'function' && typeof WebAssembly === 'object' && typeof AudioContext === 'function';
}

/** Whether anything can read this language aloud: the read-aloud button is hidden otherwise. */
export function speechAvailable(language: Language): boolean {
  return systemVoice(language) !== undefined || offlineSpeechAvailable();
}

let worker: Worker | null = null;
/** Bumped by every speak() and stopSpeaking(): audio for an older request is dropped. */
let generation = 0;
let nextRequestId = 0;
const pending = new Map<number, (reply: SpeechReply) => void>();
let playing: AudioBufferSourceNode[] = [];

function speechWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./speech-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<SpeechReply>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
  }
  return worker;
}

/**
 * Fetching and compiling eSpeak's 18 MB of WebAssembly takes a core for a second or more, and
 * opening the audio device holds the page's thread for about 200 ms: on a two-core kiosk either
 * would slow the start itself, so the warm-up waits until the page has been up this long and is
 * idle. A reading asked for sooner simply compiles it then.
 */
const WARM_AFTER_PAGE_START_MS = 3000;

function whenStartedAndIdle(work: () => void): void {
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(work, { timeout: 1000 }) : work());
  setTimeout(idle, Math.max(0, WARM_AFTER_PAGE_START_MS - performance.now()));
}

/** Compiles the synthesizer and opens the audio output ahead of the first tap, so the first reading starts as fast as later ones. */
export function prepareSpeech(language: Language): void {
  whenStartedAndIdle(() => {
    // The check-in chime needs the audio output whichever voice speaks.
    warmAudioOutput();
    if (!systemVoice(language) && offlineSpeechAvailable()) speechWorker().postMessage('warm');
  });
}

function synthesizeOffline(text: string, language: Language): Promise<SpeechReply> {
  const id = nextRequestId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    speechWorker().postMessage({ id, text, language } satisfies SpeechRequest);
  });
}

/**
 * The first sentence on its own, then the rest: each part takes eSpeak time in proportion to its
 * length, so the learner hears the start while the rest is still being made.
 */
export function speechParts(text: string): string[] {
  const trimmed = text.trim();
  const end = trimmed.search(/[\n。！？!?]|\.\s/);
  if (end < 0 || end >= trimmed.length - 1) return trimmed === '' ? [] : [trimmed];
  return [trimmed.slice(0, end + 1).trim(), trimmed.slice(end + 1).trim()].filter((part) => part !== '');
}

async function speakOffline(text: string, language: Language, mine: number) {
  const context = audioOutput();
  if (!context) return;
  const parts = speechParts(text).map((part) => synthesizeOffline(part, language));
  let startAt = 0;
  for (const part of parts) {
    const reply = await part;
    if (mine !== generation || 'error' in reply || reply.samples.length === 0) return;
    const buffer = context.createBuffer(1, reply.samples.length, reply.sampleRate);
    buffer.copyToChannel(reply.samples as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    startAt = Math.max(startAt, context.currentTime);
    source.start(startAt);
    startAt += buffer.duration;
    playing.push(source);
    source.onended = () => {
      playing = playing.filter((s) => s !== source);
    };
  }
}

/**
 * Reads the text aloud in the learner's language, interrupting anything still being read: with
 * the system's voice where it has one for the language, otherwise with the shipped eSpeak NG.
 * Never with a voice of another language, which would read Chinese as gibberish.
 */
export function speak(text: string, language: Language): void {
  stopSpeaking();
  const mine = generation;
  const voice = systemVoice(language);
  if (voice) {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    // Slower than default: easier to follow for older listeners.
    utterance.rate = 0.9;
    speechSynthesis.speak(utterance);
    return;
  }
  if (offlineSpeechAvailable()) void speakOffline(text, language, mine);
}

export function stopSpeaking(): void {
  generation++;
  if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
  for (const source of playing) source.stop();
  playing = [];
}
