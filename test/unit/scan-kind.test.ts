import { describe, expect, it } from 'vitest';
import { notACard } from '../../renderer/checkin/scan-kind';

describe('codes that are not learner cards', () => {
  it('lets a learner card through, even a damaged one, to be verified', () => {
    expect(notACard('YX:AQAAAbcdef')).toBeNull();
    expect(notACard('YX:')).toBeNull();
  });

  it('names a web address or a WeChat QR code', () => {
    expect(notACard('https://u.wechat.com/EK2aBcDeFgH')).toBe('not-a-card-link');
    expect(notACard('http://weixin.qq.com/r/abc123')).toBe('not-a-card-link');
    expect(notACard('www.gd.gov.cn')).toBe('not-a-card-link');
    expect(notACard('wxp://f2f0abcdef')).toBe('not-a-card-link');
  });

  it('names a product barcode (EAN-13, EAN-8, UPC-A)', () => {
    expect(notACard('6901234567892')).toBe('not-a-card-barcode');
    expect(notACard('96385074')).toBe('not-a-card-barcode');
    expect(notACard('036000291452')).toBe('not-a-card-barcode');
  });

  it('says plainly that anything else is not a learner card', () => {
    expect(notACard('YXENROL:ABCD-EFGH')).toBe('not-a-card');
    expect(notACard('hello world')).toBe('not-a-card');
  });
});
