import type { CardRevocation, IssuerKey } from '../../protocol/issuer-key';
import { iso, type PlatformCollection } from './platform-collection';

export const issuerKeyCollection: PlatformCollection<IssuerKey> = {
  async pull(pool, _kiosk, afterSeq, limit) {
    const { rows } = await pool.query<{ id: string; public_key: string; status: IssuerKey['status']; created_at: Date; server_seq: string }>(
      'select id, public_key, status, created_at, server_seq from issuer_keys where server_seq > $1 order by server_seq limit $2',
      [afterSeq, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      publicKey: r.public_key,
      status: r.status,
      createdAt: iso(r.created_at),
      serverSeq: Number(r.server_seq),
      _deleted: false,
    }));
  },
};

export const cardRevocationCollection: PlatformCollection<CardRevocation> = {
  async pull(pool, _kiosk, afterSeq, limit) {
    const { rows } = await pool.query<{ serial: string; learner_id: string; revoked_at: Date; server_seq: string }>(
      'select serial, learner_id, revoked_at, server_seq from card_revocations where server_seq > $1 order by server_seq limit $2',
      [afterSeq, limit],
    );
    return rows.map((r) => ({
      id: String(r.serial),
      learnerId: r.learner_id,
      revokedAt: iso(r.revoked_at),
      serverSeq: Number(r.server_seq),
      _deleted: false,
    }));
  },
};
