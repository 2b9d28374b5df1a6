import { describe, expect, it } from 'vitest';
import { isKioskEscapeShortcut } from '../../electron/kiosk-shortcuts';
import type { KeyInput } from '../../electron/electron-api';

const key = (input: Partial<KeyInput> & { key: string }): KeyInput => ({
  type: 'keyDown',
  code: input.key.length === 1 && /[a-z]/i.test(input.key) ? `Key${input.key.toUpperCase()}` : input.key,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...input,
});

describe('kiosk escape shortcuts', () => {
  it.each([
    ['Ctrl+R (reload)', key({ key: 'r', control: true })],
    ['Cmd+R (reload, macOS)', key({ key: 'r', meta: true })],
    ['Ctrl+Shift+R (hard reload)', key({ key: 'R', control: true, shift: true })],
    ['F5', key({ key: 'F5' })],
    ['Shift+F5', key({ key: 'F5', shift: true })],
    ['Ctrl+W (close)', key({ key: 'w', control: true })],
    ['Ctrl+Q (quit)', key({ key: 'q', control: true })],
    ['Cmd+Q (quit, macOS)', key({ key: 'q', meta: true })],
    ['Alt+F4', key({ key: 'F4', alt: true })],
    ['Ctrl+F4', key({ key: 'F4', control: true })],
    ['Ctrl+= (zoom in)', key({ key: '=', code: 'Equal', control: true })],
    ['Ctrl++ (zoom in)', key({ key: '+', code: 'Equal', control: true, shift: true })],
    ['Ctrl+- (zoom out)', key({ key: '-', code: 'Minus', control: true })],
    ['Ctrl+0 (actual size)', key({ key: '0', code: 'Digit0', control: true })],
    ['Ctrl+numpad + (zoom in)', key({ key: '+', code: 'NumpadAdd', control: true })],
    ['F12 (DevTools)', key({ key: 'F12' })],
    ['Ctrl+Shift+I (DevTools)', key({ key: 'I', control: true, shift: true })],
    ['Ctrl+Shift+J (console)', key({ key: 'J', control: true, shift: true })],
    ['Ctrl+Shift+C (inspect)', key({ key: 'C', control: true, shift: true })],
    ['Cmd+Alt+I (DevTools, macOS)', key({ key: 'ˆ', code: 'KeyI', meta: true, alt: true })],
    ['Ctrl+R typed through an IME', key({ key: 'Process', code: 'KeyR', control: true })],
  ])('swallows %s', (_name, input) => {
    expect(isKioskEscapeShortcut(input)).toBe(true);
  });

  it.each([
    ['a letter', key({ key: 'r' })],
    ['a capital from a scanner', key({ key: 'R', shift: true })],
    ['a digit', key({ key: '0', code: 'Digit0' })],
    ['Enter', key({ key: 'Enter' })],
    ['Backspace', key({ key: 'Backspace' })],
    ['Ctrl+C (copy)', key({ key: 'c', control: true })],
    ['Ctrl+V (paste)', key({ key: 'v', control: true })],
    ['AltGr+Q (@ on a German keyboard)', key({ key: '@', code: 'KeyQ', control: true, alt: true })],
    ['F4 alone', key({ key: 'F4' })],
  ])('lets %s through', (_name, input) => {
    expect(isKioskEscapeShortcut(input)).toBe(false);
  });
});
