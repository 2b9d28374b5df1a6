import { readFile } from 'node:fs/promises';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** What an operator sets per kiosk, in kiosk.json in the kiosk's data folder. */
export const KioskConfig = Type.Object(
  {
    platformUrl: Type.String({ pattern: '^https?://' }),
    kioskId: Type.String({ minLength: 1, maxLength: 64 }),
    siteId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The credential the platform gave this kiosk at enrolment; never sent to the renderer. */
    credential: Type.String({ minLength: 3 }),
    /** scrypt hash of the staff PIN, as written by `hashStaffPin`. */
    staffPinHash: Type.String({ minLength: 10 }),
    syncIntervalMs: Type.Integer({ minimum: 1000, default: 15_000 }),
    idleSeconds: Type.Integer({ minimum: 10, default: 60 }),
  },
  { additionalProperties: false },
);
export type KioskConfig = Static<typeof KioskConfig>;

const validator = Compile(KioskConfig);

export function parseKioskConfig(value: unknown, source: string): KioskConfig {
  if (validator.Check(value)) return value;
  const first = validator.Errors(value)[0];
  throw new Error(`${source}: ${first?.instancePath || 'config'} ${first?.message ?? 'is not valid'}`);
}

export async function loadKioskConfig(path: string): Promise<KioskConfig> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${path} is missing: enrol this kiosk first (see README, "Enrolling a kiosk").`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${path} is not valid JSON.`);
  }
  return parseKioskConfig(json, path);
}

/** The part of the config the renderer may see. */
export function publicKioskConfig(config: KioskConfig) {
  return {
    kioskId: config.kioskId,
    siteId: config.siteId,
    syncIntervalMs: config.syncIntervalMs,
    idleSeconds: config.idleSeconds,
  };
}
export type PublicKioskConfig = ReturnType<typeof publicKioskConfig>;
