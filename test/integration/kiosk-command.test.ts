import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffPinMatches } from '../../electron/host/staff-pin';
import { builtCommand } from '../support/built-commands';

/** scripts/kiosk.ts, bundled once a test run (test/support/built-commands.ts) so each run starts without tsx. */
const KIOSK_COMMAND = builtCommand('YX_TEST_KIOSK_COMMAND');
let folder: string;

/** `npm run kiosk -- …` as an operator runs it, with the given stdin; no display, so no window opens. */
function kioskCommand(args: string[], stdin = '', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [KIOSK_COMMAND, ...args], { env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'yx-kiosk-command-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('npm run kiosk', () => {
  it('setup writes the site settings with the staff PIN hashed, and will not overwrite them unasked', async () => {
    const setup = ['setup', '--data', folder, '--platform', 'http://127.0.0.1:9', '--name', '香洲 大堂', '--idle-seconds', '30', '--time-zone', 'Asia/Hong_Kong'];
    const written = await kioskCommand(setup, '1357\n');
    // The PIN is read without echo: nothing of it shows.
    expect(written.stderr.trim()).toBe('');
    expect(written.stdout).not.toContain('1357');
    expect(written.code).toBe(0);
    const path = join(folder, 'kiosk.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const settings = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(settings).toEqual({
      platformUrl: 'http://127.0.0.1:9',
      kioskName: '香洲 大堂',
      idleSeconds: 30,
      timeZone: 'Asia/Hong_Kong',
      staffPinHash: expect.stringMatching(/^scrypt\$/),
    });
    expect(await staffPinMatches('1357', settings.staffPinHash as string)).toBe(true);

    const again = await kioskCommand(setup, '1357\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists: add --force/);
    const badPin = await kioskCommand([...setup, '--force'], '', { KIOSK_STAFF_PIN: '12' });
    expect(badPin.code).toBe(1);
    expect(badPin.stderr).toMatch(/4 to 8 digits/);
    const badZone = await kioskCommand([...setup.slice(0, -2), '--time-zone', 'Canton', '--force'], '', { KIOSK_STAFF_PIN: '1357' });
    expect(badZone.code).toBe(1);
    expect(badZone.stderr).toMatch(/timeZone "Canton" is not a time zone name/);
    const plainHttp = await kioskCommand(['setup', '--data', folder, '--platform', 'http://platform.example.gd.cn', '--name', 'x', '--force'], '', { KIOSK_STAFF_PIN: '1357' });
    expect(plainHttp.code).toBe(1);
    expect(plainHttp.stderr).toMatch(/--platform "http:\/\/platform\.example\.gd\.cn" must start with https:\/\/.*only for a platform on this computer/s);
    // The refused setup left the kiosk's settings as they were.
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(settings);
  }, 60_000);

  it('runs the kiosk host on the folder, unenrolled, until stopped', async () => {
    const child = spawn(process.execPath, [KIOSK_COMMAND, '--data', folder, '--port', '0'], { env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Yuexue kiosk\s+(http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => reject(new Error(chunk.toString())));
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      expect(await (await fetch(`${url}/kiosk/config`)).json()).toMatchObject({ enrolled: false, kioskName: '香洲 大堂', idleSeconds: 30 });
      expect(['starting', 'offline']).toContain(((await (await fetch(`${url}/kiosk/enrolment`)).json()) as { status: string }).status);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
