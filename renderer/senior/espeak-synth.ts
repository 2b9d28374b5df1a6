import ESpeakNg from 'espeak-ng';
import type { Language } from '../i18n/i18n';

/**
 * eSpeak NG's voice for each kiosk language (docs/read-aloud.md says why these): Mandarin for
 * Simplified Chinese, Cantonese for Traditional Chinese as spoken in Guangdong and Hong Kong.
 */
export const ESPEAK_VOICES: Record<Language, string> = { 'zh-CN': 'cmn', 'zh-HK': 'yue', en: 'en' };

/** Words a minute: eSpeak's default 175 is brisk for older listeners; 140 stays clear without dragging. */
const WORDS_PER_MINUTE = 140;

export interface SpeechPcm {
  sampleRate: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
}

/** The mono 16-bit PCM of the WAV file eSpeak writes, as floats for Web Audio. */
export function wavToPcm(wav: Uint8Array): SpeechPcm {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let sampleRate = 22050;
  let offset = 12;
  while (offset + 8 <= wav.byteLength) {
    const id = String.fromCharCode(...wav.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') sampleRate = view.getUint32(offset + 12, true);
    if (id === 'data') {
      // eSpeak streams the file and may leave the data size unset; the rest of the file is the data.
      const end = Math.min(wav.byteLength, size > 0 ? offset + 8 + size : wav.byteLength);
      const count = Math.floor((end - offset - 8) / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(offset + 8 + i * 2, true) / 32768;
      return { sampleRate, samples };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('eSpeak wrote no audio');
}

/**
 * Speaks `text` into PCM with eSpeak NG. Each call runs a fresh instance of the compiled command
 * line (the package exports nothing else); `compiled` is the WebAssembly module compiled once, so
 * a call costs an instantiation, not a compilation. Runs in a worker in the kiosk (speech-worker.ts)
 * and directly in Node tests.
 */
export async function synthesize(compiled: WebAssembly.Module, text: string, language: Language): Promise<SpeechPcm> {
  const espeak = await ESpeakNg({
    // The text goes in a file rather than on the command line, where a leading "-" would read as an option.
    arguments: ['-v', ESPEAK_VOICES[language], '-s', String(WORDS_PER_MINUTE), '-w', '/speech.wav', '-f', '/speech.txt'],
    instantiateWasm: (imports, done) => {
      void WebAssembly.instantiate(compiled, imports).then((instance) => done(instance, compiled));
      return {};
    },
    preRun: [(module) => module.FS.writeFile('/speech.txt', text)],
    print: () => undefined,
    printErr: () => undefined,
  });
  return wavToPcm(espeak.FS.readFile('/speech.wav'));
}
