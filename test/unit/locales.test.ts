import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { ROOT } from '../support/services';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

function load(lang: string): Map<string, string> {
  return flatten(JSON.parse(readFileSync(path.join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as Tree);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('locales', () => {
  const vi = load('vi');
  const en = load('en');

  it('have the same keys in Vietnamese and English, none empty', () => {
    expect([...vi.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, value] of [...vi, ...en]) expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
  });

  it('use the same {{placeholders}} in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of vi) expect({ key, vars: placeholders(en.get(key) ?? '') }).toEqual({ key, vars: placeholders(text) });
  });

  it('define every literal key the code translates', () => {
    const literal = /(?:\bt\(|reason: |fallbackText\(|hint = [^;]*?)'([a-z_]+(?:\.[a-z_]+)+)'/g;
    const missing: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(literal)) {
        if (!vi.has(match[1])) missing.push(`${path.relative(ROOT, file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('define every key built from data (categories, groups, statuses, flows, desk results)', () => {
    const catalog = loadCatalog(path.join(ROOT, 'config'));
    const built = [
      ...catalog.categories.map((c) => `category.${c.id}`),
      ...catalog.groups.map((g) => `group.${g}`),
      ...['now', 'today', 'unknown'].map((k) => `occurred.${k}`),
      ...['now', 'today', 'other', 'unknown'].map((k) => `occurred.${k}_button`),
      'status.received',
      'status.received_explained',
      ...['tip', 'lookup', 'desk_reply', 'followup'].flatMap((f) => [`${f}.intro`, `${f}.name`]),
      ...['sent', 'queued', 'not_a_desk', 'unknown_report', 'not_your_unit', 'reporter_gone'].map((r) => `desk.reply_${r}`),
      ...['sent', 'not_found', 'not_yours'].map((r) => `followup.${r}`),
      ...['bound', 'not_a_desk', 'not_a_topic'].map((r) => `desk.topic_${r}`),
      ...['updated', 'not_admin', 'bad_request', 'unknown_unit', 'unknown_ids'].map((r) => `admin.coverage_${r}`),
      ...['accepted', 'closed'].flatMap((s) => [`status.${s}`, `status.${s}_explained`]),
      ...['handled', 'prosecuted', 'not_prosecuted', 'no_basis', 'duplicate'].map((o) => `outcome.${o}`),
      ...['valuable', 'not_valuable'].map((a) => `triage.${a}`),
      ...['ack_soon', 'ack_overdue', 'outcome_soon', 'outcome_overdue'].flatMap((k) => [`deadline.${k}`, `deadline.reminder_${k}`]),
      ...['extended', 'bad_request', 'not_a_desk', 'not_found', 'not_your_unit', 'closed'].map((r) => `deadline.extend_${r}`),
      ...['registered', 'already_registered', 'wrong_code'].map((r) => `desk.${r}`),
      ...['telegram', 'webchat', 'zalo'].map((c) => `channel.${c}`),
      ...['category', 'description', 'location', 'occurred', 'evidence', 'suspects', 'anonymity'].map((f) => `review.field.${f}`),
      'idle.text',
      'idle.media',
      ...catalog.disputes.kinds.map((k) => `dispute_kind.${k.id}`),
      ...['dispute', 'mediation_input'].flatMap((f) => [`${f}.intro`, `${f}.name`]),
      ...['yes', 'no', 'unknown'].map((a) => `dispute.agrees.${a}`),
      ...['kind', 'description', 'since', 'tried', 'other_party', 'other_agrees', 'ward', 'address', 'contact', 'requester', 'desired'].map((f) => `dispute.review.field.${f}`),
      ...['assigned', 'scheduled', 'settled', 'not_settled'].flatMap((s) => [`status.${s}`, `status.${s}_explained`]),
      ...['m_assign', 'm_schedule', 'm_settled', 'm_refer'].flatMap((q) => [`mediation.ask.${q}`, `mediation.done.${q}`]),
      ...['assigned', 'scheduled', 'settled', 'continued', 'referred', 'closed'].map((w) => `mediation.requester.${w}`),
      ...['ack_soon', 'ack_overdue', 'outcome_soon', 'outcome_overdue'].flatMap((k) => [`deadline.dispute_${k}`, `deadline.dispute_reminder_${k}`]),
      ...['no', 'received', 'mediators', 'parties', 'content', 'agreement', 'result', 'notes'].map((c) => `register.col.${c}`),
      ...catalog.campaigns.topics.map((t) => `campaign_topic.${t.id}`),
      ...['subscribe', 'campaign'].flatMap((f) => [`${f}.intro`, `${f}.name`]),
      ...['both', 'residents', 'groups'].flatMap((r) => [`campaign.recipients.${r}`, `campaign.audience.${r}`]),
      ...['active', 'paused', 'cancelled', 'finished'].map((s) => `campaign.status.${s}`),
      ...['paused', 'active', 'cancelled'].map((s) => `campaign.now_${s}`),
      'tip.contact.not_own',
      'tip.contact.bad_phone',
    ];
    expect(built.filter((key) => !vi.has(key))).toEqual([]);
  });
});
