import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { EnrolledKiosk, KioskName } from '../../sync/protocol/enrolment';
import type { EnrolledKioskConfig, KioskConfigAnswer } from '../../sync/protocol/kiosk-host-api';
import { writeFileAtomic } from './atomic-write';
import { checkPlatformUrl, PLATFORM_PIN_PATTERN } from './platform-tls';

/** The operator's file: the site's settings for this kiosk. */
export const KIOSK_SETTINGS_FILE = 'kiosk.json';
/** The kiosk's own file: what the platform gave it at enrolment. */
export const ENROLMENT_FILE = 'enrolment.json';

const DEFAULT_SYNC_INTERVAL_MS = 15_000;
const DEFAULT_IDLE_SECONDS = 60;
/** A village teaching point may see a network once a month; two weeks without one is worth a word to staff. */
export const DEFAULT_OFFLINE_WARNING_DAYS = 14;
/** Guangdong's sites all keep China Standard Time. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** An operator types the time zone name: refuse one this runtime does not know, naming it. */
function checkTimeZone(timeZone: string, source: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`${source} timeZone "${timeZone}" is not a time zone name such as Asia/Shanghai.`);
  }
}

/** enrolment.json holds what the platform answered at enrolment; the credential never reaches the renderer. */
export const KioskEnrolment = EnrolledKiosk;
export type KioskEnrolment = EnrolledKiosk;

/** kiosk.json as an operator writes it (see README, "Configuration"). */
export const KioskSettingsFile = Type.Object(
  {
    /** https://, except for a platform on this computer (see checkPlatformUrl). */
    platformUrl: Type.String({ pattern: '^https?://' }),
    /**
     * Optional: the platform's TLS chain must contain a certificate matching one of these
     * (`sha256/<base64 SPKI hash>` or `cert-sha256/<hex fingerprint>`); two allow a key rollover.
     */
    platformPins: Type.Optional(Type.Array(Type.String({ pattern: PLATFORM_PIN_PATTERN }), { minItems: 1, maxItems: 4 })),
    /** How the platform lists this kiosk; needed to enrol. */
    kioskName: Type.Optional(KioskName),
    /** scrypt hash of the staff PIN, as written by `hashStaffPin`. */
    staffPinHash: Type.String({ minLength: 10 }),
    syncIntervalMs: Type.Optional(Type.Integer({ minimum: 1000 })),
    idleSeconds: Type.Optional(Type.Integer({ minimum: 10 })),
    /** Staff mode warns once the platform has not answered for this long (fractions allowed); check-ins never stop. */
    offlineWarningDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
    /** The site's IANA time zone, for class times and "today"; whatever the computer's clock is set to. */
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** A folder staff may import courses from besides USB drives (README, "Courses by USB"). */
    courseImportFolder: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    // Kiosks set up before they could enrol themselves keep their enrolment here.
    kioskId: Type.Optional(EnrolledKiosk.properties.kioskId),
    siteId: Type.Optional(EnrolledKiosk.properties.siteId),
    credential: Type.Optional(EnrolledKiosk.properties.credential),
  },
  { additionalProperties: false },
);
export type KioskSettingsFile = Static<typeof KioskSettingsFile>;

export interface KioskSettings {
  platformUrl: string;
  /** Empty: the usual certificate checks only. */
  platformPins?: string[];
  kioskName: string;
  staffPinHash: string;
  syncIntervalMs: number;
  idleSeconds: number;
  timeZone: string;
  /** Omitted: DEFAULT_OFFLINE_WARNING_DAYS. */
  offlineWarningDays?: number;
  courseImportFolder?: string;
}

export interface KioskConfig {
  settings: KioskSettings;
  /** Null until the kiosk is enrolled. */
  enrolment: KioskEnrolment | null;
  /** Where the kiosk writes the enrolment it gets. */
  enrolmentFile: string;
}

const settingsValidator = Compile(KioskSettingsFile);
const enrolmentValidator = Compile(KioskEnrolment);

interface ValidationError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

interface JsonValidator {
  Check(value: unknown): boolean;
  Errors(value: unknown): ValidationError[];
}

/** The first problem, in words that name the field. */
function firstProblem(errors: ValidationError[]): string {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) return `has a field it does not know: ${(unknown.params.additionalProperties as string[]).join(', ')}`;
  const first = errors[0];
  if (!first) return 'is not valid';
  if (first.keyword === 'required') return `is missing ${(first.params.requiredProperties as string[]).join(', ')}`;
  return first.instancePath ? `${first.instancePath.slice(1).replace(/\//g, '.')} ${first.message}` : first.message;
}

function checked<T>(validator: JsonValidator, value: unknown, source: string): T {
  if (validator.Check(value)) return value as T;
  throw new Error(`${source} ${firstProblem(validator.Errors(value))}.`);
}

/** Reads settings and enrolment as the files hold them; kiosk.json may carry an enrolment (older kiosks). */
export function parseKioskConfig(settingsJson: unknown, enrolmentJson: unknown | null, folder: string): KioskConfig {
  const settingsSource = join(folder, KIOSK_SETTINGS_FILE);
  const file = checked<KioskSettingsFile>(settingsValidator, settingsJson, settingsSource);
  const { kioskId, siteId, credential } = file;
  let enrolment: KioskEnrolment | null = kioskId && siteId && credential ? { kioskId, siteId, credential } : null;
  if (!enrolment && (kioskId || siteId || credential)) {
    throw new Error(`${settingsSource} holds part of an enrolment: give kioskId, siteId and credential together, or none of them.`);
  }
  if (enrolmentJson !== null) {
    if (enrolment) {
      throw new Error(`${settingsSource} and ${ENROLMENT_FILE} both hold an enrolment: remove kioskId, siteId and credential from ${KIOSK_SETTINGS_FILE}.`);
    }
    enrolment = checked<KioskEnrolment>(enrolmentValidator, enrolmentJson, join(folder, ENROLMENT_FILE));
  }
  const timeZone = file.timeZone ?? DEFAULT_TIME_ZONE;
  checkTimeZone(timeZone, settingsSource);
  checkPlatformUrl(file.platformUrl, `${settingsSource} platformUrl`);
  const kioskName = file.kioskName ?? enrolment?.kioskId;
  if (!kioskName) throw new Error(`${settingsSource} is missing kioskName, which the kiosk needs to enrol.`);
  return {
    settings: {
      platformUrl: file.platformUrl,
      ...(file.platformPins ? { platformPins: file.platformPins } : {}),
      kioskName,
      staffPinHash: file.staffPinHash,
      syncIntervalMs: file.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS,
      idleSeconds: file.idleSeconds ?? DEFAULT_IDLE_SECONDS,
      timeZone,
      offlineWarningDays: file.offlineWarningDays ?? DEFAULT_OFFLINE_WARNING_DAYS,
      ...(file.courseImportFolder ? { courseImportFolder: file.courseImportFolder } : {}),
    },
    enrolment,
    enrolmentFile: join(folder, ENROLMENT_FILE),
  };
}

async function readJson(path: string, whenMissing: () => unknown): Promise<unknown> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return whenMissing();
    throw error;
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${path} is not valid JSON.`);
  }
}

/** The kiosk's config from its data folder: kiosk.json (required) and enrolment.json (once enrolled). */
export async function loadKioskConfig(folder: string): Promise<KioskConfig> {
  const settingsPath = join(folder, KIOSK_SETTINGS_FILE);
  const settings = await readJson(settingsPath, () => {
    throw new Error(`${settingsPath} is missing: set this kiosk up first (see README, "Enrolling a kiosk").`);
  });
  return parseKioskConfig(settings, await readJson(join(folder, ENROLMENT_FILE), () => null), folder);
}

async function writeJson(path: string, validator: JsonValidator, value: unknown): Promise<void> {
  checked(validator, value, path);
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes kiosk.json; it holds the staff PIN hash, so only its owner may read it. */
export async function saveKioskSettings(folder: string, settings: KioskSettingsFile): Promise<void> {
  if (settings.timeZone) checkTimeZone(settings.timeZone, join(folder, KIOSK_SETTINGS_FILE));
  checkPlatformUrl(settings.platformUrl, `${join(folder, KIOSK_SETTINGS_FILE)} platformUrl`);
  await writeJson(join(folder, KIOSK_SETTINGS_FILE), settingsValidator, settings);
}

/** Writes enrolment.json: the credential, readable by the kiosk's user alone. */
export function saveEnrolment(path: string, enrolment: KioskEnrolment): Promise<void> {
  return writeJson(path, enrolmentValidator, enrolment);
}

/** What the renderer may see: never the credential. */
export function publicKioskConfig(settings: KioskSettings, enrolment: KioskEnrolment | null, lastPlatformContactAt: Date | null = null): KioskConfigAnswer {
  const timing = { syncIntervalMs: settings.syncIntervalMs, idleSeconds: settings.idleSeconds, timeZone: settings.timeZone };
  return enrolment
    ? ({
        enrolled: true,
        kioskId: enrolment.kioskId,
        siteId: enrolment.siteId,
        ...timing,
        offlineWarningDays: settings.offlineWarningDays ?? DEFAULT_OFFLINE_WARNING_DAYS,
        lastPlatformContactAt: lastPlatformContactAt?.toISOString() ?? null,
      } satisfies EnrolledKioskConfig)
    : { enrolled: false, kioskName: settings.kioskName, ...timing };
}
