/** Neighbourhood self-management models (mô hình tự quản) and what their leaders record: the shapes every layer reads. */

export type CommunityModelStatus = 'active' | 'review' | 'dissolved';

/** A leader of a model: the chat they lead it from, by pseudonym, and how to reach it (encrypted). */
export interface ModelLeader {
  key: string;
  addressEnc: string;
  name: string | null;
  since: Date;
}

/**
 * A neighbourhood self-management model (mô hình tự quản: tổ liên gia, nhà
 * trọ tự quản, khu phố an toàn…) of a unit's ward: its kind, name, leaders
 * and size. `code` is what its join link carries (`?start=<code>`).
 */
export interface CommunityModelDoc {
  _id: string;
  code: string;
  unitId: string;
  wardId: string;
  /** Khu phố / tổ dân phố, as the unit writes it. */
  area: string | null;
  kind: string;
  name: string;
  households: number | null;
  members: number | null;
  leaders: ModelLeader[];
  /** A leader invite waiting to be used: the keyed hash of its one-time code, and until when it works. */
  invite: { hash: string; expiresAt: Date } | null;
  status: CommunityModelStatus;
  dissolved: { reason: string; at: Date; by: string | null } | null;
  /** When its unit last decided to keep it after a dormancy flag: the dormancy clock starts again there. */
  keptAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a model's leader records that the model did, as the ward's review counts it. */
export type ModelActivity =
  | { kind: 'dispute'; disputeKind: string; result: 'resolved' | 'referred' }
  | { kind: 'propaganda'; form: 'meeting' | 'loudspeaker' | 'leaflet'; attendees: number }
  | { kind: 'patrol'; people: number; hours: number }
  | { kind: 'pledges'; households: number };

