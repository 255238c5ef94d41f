import type { CommunityModelDoc } from '../../src/storage/models/community-model.model';

/** A self-management model of Phường 4's police, as /mohinh would have created it; a spec gives what differs. */
export function communityModel(code: string, fields: Partial<CommunityModelDoc> = {}): CommunityModelDoc {
  const createdAt = fields.createdAt ?? new Date('2026-10-01T00:00:00Z');
  return {
    _id: code,
    code,
    unitId: 'cap-p4',
    wardId: 'q3-p4',
    area: null,
    kind: 'household_group',
    name: `Tổ ${code}`,
    households: null,
    members: null,
    leaders: [],
    invite: null,
    status: 'active',
    dissolved: null,
    createdAt,
    updatedAt: createdAt,
    ...fields,
  };
}
