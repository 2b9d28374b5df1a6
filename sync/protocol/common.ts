import { Type } from 'typebox';

/** Ids minted on the kiosk (UUIDv7 or a deterministic UUIDv5), or by the platform. */
export const Id = Type.String({ format: 'uuid' });
/** Platform-assigned identifiers that people read: learner numbers, site codes, key ids. */
export const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IsoDateTime = Type.String({ format: 'date-time' });

/** Text shown to learners in each catalog language. */
export const LocalizedText = Type.Object(
  {
    'zh-CN': Type.String({ minLength: 1, maxLength: 500 }),
    'zh-HK': Type.String({ minLength: 1, maxLength: 500 }),
    en: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

/**
 * Every replicated document carries the platform's sequence number of its last write
 * (`serverSeq`, absent until the platform has seen it) and RxDB's deletion flag.
 */
export const ReplicationFields = {
  serverSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  _deleted: Type.Boolean(),
};
