import { afterEach, describe, expect, it, vi } from 'vitest';
import { speakGreeting } from '../../renderer/checkin/spoken-greeting';

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

describe('spoken greeting', () => {
  it('does nothing where the browser has no speech synthesis', () => {
    expect(() => speakGreeting('陈秀英，欢迎您', 'zh-CN')).not.toThrow();
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
