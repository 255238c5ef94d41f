import { randomUUID } from 'node:crypto';
import { MAX_SESSIONS } from '../../src/domain/mediation/mediation-service';
import { MAX_FORWARDS } from '../../src/domain/triage/triage-service';
import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

/** A case's history has an end: a tip passed back and forth, or a dispute continued session after session, stops with a clear answer. */
describe('the history of one case is bounded', () => {
  let s: Services;
  let now = new Date('2026-12-02T03:00:00Z');
  const p4 = { address: { channel: 'webchat' as const, chatId: 'caps-p4' }, userId: 'o4', name: 'Hạnh' };
  const p9 = { address: { channel: 'webchat' as const, chatId: 'caps-p9' }, userId: 'o9', name: 'Tùng' };
  const team = { address: { channel: 'webchat' as const, chatId: 'caps-hg' }, userId: 'm1', name: 'Hòa' };

  beforeAll(async () => {
    s = await openServices('history_caps', { clock: () => now });
    await s.desks.register(p4.address, s.desks.inviteCodeFor('cap-p4'), null, now);
    await s.desks.register(p9.address, s.desks.inviteCodeFor('cap-p9'), null, now);
    await s.desks.register(team.address, s.desks.inviteCodeFor('hg-p4'), null, now);
  });

  afterAll(() => s.database.close());

  it(`forwards a tip at most ${MAX_FORWARDS} times`, async () => {
    const { id } = await s.reports.submitTip(tipSubmission({ suspectsText: null }), now);
    for (let i = 0; i < MAX_FORWARDS; i += 1) {
      const [from, to] = i % 2 === 0 ? [p4, 'cap-p9'] : [p9, 'cap-p4'];
      expect(await s.triage.forward(from, id, to, 'Không thuộc địa bàn')).toBe('forwarded');
    }
    expect(await s.triage.forward(p4, id, 'cap-p9', 'Không thuộc địa bàn')).toBe('too_many_forwards');
    expect((await s.reportRepository.byId(id))?.forwards).toHaveLength(MAX_FORWARDS);
  });

  it(`holds at most ${MAX_SESSIONS} mediation sessions without agreement, then asks for a referral or closing`, async () => {
    const { id } = await s.intake.submit(
      {
        submissionKey: randomUUID(),
        kind: 'noise',
        description: 'Hàng xóm hát karaoke đến 1 giờ sáng.',
        since: '3 tháng',
        tried: null,
        otherParty: 'Nhà số 14',
        otherPartyAgrees: 'unknown',
        wardId: 'q3-p4',
        address: '12 Trần Văn Đang',
        requester: { name: 'Lê Văn Bình', birthYear: 1980, address: '10 Trần Văn Đang', phone: '0912000111' },
        desiredOutcome: 'Chỉ hát đến 22 giờ',
        residentKey: 'caps-requester',
        channel: 'webchat',
        lang: 'vi',
      },
      now,
    );
    const mediator = s.mediation.mediatorsOf('hg-p4')[0] ?? 'Nguyễn Thị Hòa';
    expect(await s.mediation.apply(team, id, { kind: 'assign', names: mediator })).toEqual({ kind: 'done' });
    const session = async (): Promise<void> => {
      const at = new Date(now.getTime() + 3_600_000);
      const when = at.toLocaleString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).replace(',', '');
      expect(await s.mediation.apply(team, id, { kind: 'schedule', text: `${when}, Nhà văn hóa khu phố 3` })).toEqual({ kind: 'done' });
      now = new Date(at.getTime() + 60_000);
    };
    for (let held = 1; held < MAX_SESSIONS; held += 1) {
      await session();
      expect(await s.mediation.apply(team, id, { kind: 'continue' })).toEqual({ kind: 'done' });
    }
    await session();
    expect(await s.mediation.apply(team, id, { kind: 'continue' })).toEqual({ kind: 'refused', refusal: { why: 'too_many_sessions', max: MAX_SESSIONS } });
    expect(await s.mediation.apply(team, id, { kind: 'refer', authority: 'UBND phường 4' })).toEqual({ kind: 'done' });
    expect(s.i18n.forLanguage('vi')('mediation.too_many_sessions', { max: MAX_SESSIONS })).toContain(`${MAX_SESSIONS} buổi`);
  });
});
