/// <reference lib="webworker" />
// Off the page's thread: an eSpeak instance takes a few hundred ms to start, which on the main
// thread would freeze taps and could split a USB scanner's burst.
import espeakWasmUrl from 'espeak-ng/dist/espeak-ng.wasm?url';
import type { Language } from '../i18n/i18n';
import { synthesize } from './espeak-synth';

export interface SpeechRequest {
  id: number;
  text: string;
  language: Language;
}
export type SpeechReply = { id: number; sampleRate: number; samples: Float32Array } | { id: number; error: string };

declare const self: DedicatedWorkerGlobalScope;

// Served by the kiosk host with the renderer, never fetched from a CDN: kiosks are offline.
let compiled: Promise<WebAssembly.Module> | null = null;
function espeakModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compileStreaming(fetch(espeakWasmUrl));
  return compiled;
}

self.onmessage = (event: MessageEvent<SpeechRequest | 'warm'>) => {
  const request = event.data;
  if (request === 'warm') return void espeakModule();
  void espeakModule()
    .then((module) => synthesize(module, request.text, request.language))
    .then(
      (pcm) => self.postMessage({ id: request.id, sampleRate: pcm.sampleRate, samples: pcm.samples } satisfies SpeechReply, [pcm.samples.buffer]),
      (error: unknown) => self.postMessage({ id: request.id, error: String(error) } satisfies SpeechReply),
    );
};
