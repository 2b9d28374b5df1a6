import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { speak as speakGreeting, speechAvailable, speechParts } from '../../renderer/senior/speech';
import { synthesize } from '../../renderer/senior/espeak-synth';
import { catalogs, LANGUAGES } from '../../renderer/i18n/i18n';

class FakeUtterance {
  voice: unknown = null;
  lang = '';
  rate = 1;
  constructor(readonly text: string) {}
}

function installSpeech(voiceLanguages: string[]) {
  const spoken: FakeUtterance[] = [];
  vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance);
  vi.stubGlobal('speechSynthesis', {
    getVoices: () => voiceLanguages.map((lang) => ({ lang, name: lang })),
    cancel: () => undefined,
    speak: (utterance: FakeUtterance) => spoken.push(utterance),
  });
  return spoken;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('system voices', () => {
  it('does nothing, and offers no button, where nothing can speak', () => {
    expect(() => speakGreeting('陈秀英，欢迎您', 'zh-CN')).not.toThrow();
    expect(speechAvailable('zh-CN')).toBe(false);
  });

  it('offers the button when the system has a voice for the language', () => {
    installSpeech(['zh-HK']);
    expect(speechAvailable('zh-HK')).toBe(true);
    expect(speechAvailable('en')).toBe(false);
  });

  it('speaks Traditional Chinese with a Cantonese voice', () => {
    const spoken = installSpeech(['en-GB', 'zh-CN', 'zh-HK']);
    speakGreeting('陳秀英，歡迎你', 'zh-HK');
    expect(spoken.map((u) => [u.text, u.lang])).toEqual([['陳秀英，歡迎你', 'zh-HK']]);
  });

  it('takes a voice tagged yue when no zh-HK voice is installed', () => {
    const spoken = installSpeech(['zh-CN', 'yue-HK']);
    speakGreeting('陳秀英，歡迎你', 'zh-HK');
    expect(spoken.map((u) => u.lang)).toEqual(['yue-HK']);
  });

  it('accepts voices named with an underscore, as some systems do', () => {
    const spoken = installSpeech(['zh_CN']);
    speakGreeting('陈秀英，欢迎您', 'zh-CN');
    expect(spoken).toHaveLength(1);
  });

  it('stays silent rather than read the greeting with a voice of another language', () => {
    const spoken = installSpeech(['en-US', 'zh-CN']);
    speakGreeting('陳秀英，歡迎你', 'zh-HK');
    expect(spoken).toEqual([]);
  });
});

describe('speech parts', () => {
  it('says the first sentence on its own so it starts sooner', () => {
    expect(speechParts('我的学分\n请扫描您的学员卡。然后查看。')).toEqual(['我的学分', '请扫描您的学员卡。然后查看。']);
    expect(speechParts('Hello. How are you?')).toEqual(['Hello.', 'How are you?']);
    expect(speechParts('一句话。')).toEqual(['一句话。']);
    expect(speechParts('  ')).toEqual([]);
  });
});

describe('eSpeak NG, the synthesizer the kiosk ships', () => {
  let compiled: WebAssembly.Module;
  beforeAll(async () => {
    const wasm = await readFile(createRequire(import.meta.url).resolve('espeak-ng/dist/espeak-ng.wasm'));
    compiled = await WebAssembly.compile(wasm);
  });

  // The check-in greeting in each language, as a learner hears it.
  it.each(LANGUAGES)('speaks the %s greeting aloud: not silent, and as long as the words', async (language) => {
    const template = (catalogs[language].greeting as { welcome: string }).welcome;
    const text = template.replace('{{name}}', language === 'en' ? 'Chen Xiuying' : language === 'zh-HK' ? '陳秀英' : '陈秀英');
    const pcm = await synthesize(compiled, text, language);
    const seconds = pcm.samples.length / pcm.sampleRate;
    const rms = Math.sqrt(pcm.samples.reduce((sum, x) => sum + x * x, 0) / pcm.samples.length);
    // About 2 to 4 syllables a second for a dozen syllables: a few seconds, neither a click nor a loop.
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(8);
    // Speech at eSpeak's default volume sits around 0.1; silence is 0.
    expect(rms).toBeGreaterThan(0.03);
  }, 30_000);

  it('reads a longer text for longer', async () => {
    const short = await synthesize(compiled, '您好。', 'zh-CN');
    const long = await synthesize(compiled, '您好。欢迎来到社区学习点，今天我们一起学习用智能手机视频通话。', 'zh-CN');
    expect(long.samples.length).toBeGreaterThan(short.samples.length * 3);
  }, 30_000);
});
