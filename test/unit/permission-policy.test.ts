import { describe, expect, it } from 'vitest';
import { applyPermissionPolicy } from '../../electron/permission-policy';
import { FakeSession } from '../support/fake-electron';
import type { PermissionCheckDetails, PermissionRequestDetails } from '../../electron/electron-api';

const KIOSK = 'http://127.0.0.1:4320';

function session() {
  const fake = new FakeSession();
  const logs: string[] = [];
  applyPermissionPolicy(fake, `${KIOSK}/`, (message) => void logs.push(message));
  return { fake, logs };
}

describe('permission requests', () => {
  it('grant the camera to the kiosk page', () => {
    const { fake } = session();
    expect(fake.request('media', { requestingUrl: `${KIOSK}/#/checkin`, isMainFrame: true, mediaTypes: ['video'] })).toBe(true);
    // Electron 45 may leave isMainFrame out.
    expect(fake.request('media', { requestingUrl: `${KIOSK}/`, mediaTypes: ['video'] })).toBe(true);
  });

  it.each<[string, string, PermissionRequestDetails]>([
    ['the microphone', 'media', { requestingUrl: `${KIOSK}/`, isMainFrame: true, mediaTypes: ['audio'] }],
    ['camera and microphone together', 'media', { requestingUrl: `${KIOSK}/`, isMainFrame: true, mediaTypes: ['video', 'audio'] }],
    ['media of no stated type', 'media', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
    ['the camera for another origin', 'media', { requestingUrl: 'https://attacker.example/', isMainFrame: true, mediaTypes: ['video'] }],
    ['the camera for another port on loopback', 'media', { requestingUrl: 'http://127.0.0.1:9999/', isMainFrame: true, mediaTypes: ['video'] }],
    ['the camera for a subframe (a lesson page)', 'media', { requestingUrl: `${KIOSK}/content/c/page.html`, isMainFrame: false, mediaTypes: ['video'] }],
    ['the camera for a page with an unreadable URL', 'media', { requestingUrl: 'not a url', isMainFrame: true, mediaTypes: ['video'] }],
    ['notifications', 'notifications', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
    ['geolocation', 'geolocation', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
    ['the clipboard', 'clipboard-read', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
    ['opening external apps', 'openExternal', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
    ['screen capture', 'display-capture', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
    ['fullscreen', 'fullscreen', { requestingUrl: `${KIOSK}/`, isMainFrame: true }],
  ])('refuse %s', (_name, permission, details) => {
    const { fake, logs } = session();
    expect(fake.request(permission, details)).toBe(false);
    expect(logs[0]).toContain(`refused permission ${permission}`);
  });
});

describe('permission checks', () => {
  it('pass for the kiosk page asking about its camera', () => {
    const { fake } = session();
    expect(fake.check('media', KIOSK, { mediaType: 'video', requestingUrl: `${KIOSK}/`, isMainFrame: true })).toBe(true);
    expect(fake.check('media', `${KIOSK}/`, { mediaType: 'video', isMainFrame: true })).toBe(true);
  });

  it.each<[string, string, string, PermissionCheckDetails]>([
    ['the microphone', 'media', KIOSK, { mediaType: 'audio', isMainFrame: true }],
    ['media of unknown type', 'media', KIOSK, { mediaType: 'unknown', isMainFrame: true }],
    ['the camera for another origin', 'media', 'https://attacker.example', { mediaType: 'video', isMainFrame: true }],
    ['the camera in a cross-origin subframe', 'media', KIOSK, { mediaType: 'video', isMainFrame: false, embeddingOrigin: 'https://attacker.example' }],
    ['the camera for an opaque origin (a sandboxed lesson page)', 'media', 'null', { mediaType: 'video', isMainFrame: false }],
    ['notifications', 'notifications', KIOSK, { isMainFrame: true }],
    ['USB devices', 'usb', KIOSK, { isMainFrame: true }],
    ['serial ports', 'serial', KIOSK, { isMainFrame: true }],
  ])('fail for %s', (_name, permission, origin, details) => {
    const { fake } = session();
    expect(fake.check(permission, origin, details)).toBe(false);
  });
});
