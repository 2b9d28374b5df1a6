import { Type, type Static } from 'typebox';
import { BundledRecords } from './record-bundle';

/**
 * The kiosk host's staff routes for records by USB (docs/check-in-and-sync.md, "Records by USB"),
 * kept beside kiosk-host-api.ts: the renderer hands the host the records the platform has not
 * acknowledged and a folder staff picked from the host's list; the host signs the bundle with the
 * kiosk's key and writes it there whole. Staff never type a path: the host writes only to folders
 * it listed itself.
 */
export const KioskUsbRoutes = {
  folders: '/kiosk/usb/folders',
  export: '/kiosk/usb/export',
  receipt: '/kiosk/usb/receipt',
  relay: '/kiosk/usb/relay',
} as const;

export const UsbFolder = Type.Object(
  {
    path: Type.String(),
    /** The drive's or folder's own name, for staff. */
    name: Type.String(),
    /** A removable drive's mount point, or the folder set up for exports. */
    kind: Type.Union([Type.Literal('drive'), Type.Literal('folder')]),
    /** This kiosk's bundle is on it (written earlier), and the platform's receipt for it. */
    hasBundle: Type.Boolean(),
    hasReceipt: Type.Boolean(),
    /** Bundles of other kiosks on it, which this kiosk can relay when online. */
    otherBundles: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type UsbFolder = Static<typeof UsbFolder>;
export const UsbFolderListing = Type.Object({ folders: Type.Array(UsbFolder) }, { additionalProperties: false });
export type UsbFolderListing = Static<typeof UsbFolderListing>;

export const UsbFolderBody = Type.Object({ folder: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false });
export type UsbFolderBody = Static<typeof UsbFolderBody>;

/** POST export: the renderer's unacknowledged records; the host adds what only its journal still holds. */
export const UsbExportBody = Type.Object({ folder: UsbFolderBody.properties.folder, records: BundledRecords }, { additionalProperties: false });
export type UsbExportBody = Static<typeof UsbExportBody>;
export const UsbExported = Type.Object(
  {
    file: Type.String(),
    bundleSeq: Type.Integer({ minimum: 1 }),
    records: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    /** The file was read back from the drive and matches what was signed: safe to remove. */
    verified: Type.Literal(true),
  },
  { additionalProperties: false },
);
export type UsbExported = Static<typeof UsbExported>;

/** POST receipt: the receipt file's text, for the renderer to verify with the issuer keys it holds. */
export const UsbReceiptFile = Type.Object({ file: Type.String(), text: Type.String() }, { additionalProperties: false });
export type UsbReceiptFile = Static<typeof UsbReceiptFile>;

export const UsbRelayResult = Type.Object(
  {
    file: Type.String(),
    kioskId: Type.String(),
    outcome: Type.Union([Type.Literal('imported'), Type.Literal('refused'), Type.Literal('offline')]),
    records: Type.Optional(Type.Integer({ minimum: 0 })),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type UsbRelayResult = Static<typeof UsbRelayResult>;
export const UsbRelayed = Type.Object({ results: Type.Array(UsbRelayResult) }, { additionalProperties: false });
export type UsbRelayed = Static<typeof UsbRelayed>;
