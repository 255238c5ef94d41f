import { foldVietnamese } from '../shared/text';

/** Everything a resident or officer can ask by command, whatever the language they type it in. */
export type CommandName =
  | 'start'
  | 'report'
  | 'dispute'
  | 'cancel'
  | 'lookup'
  | 'help'
  | 'language'
  | 'forget'
  | 'desk'
  | 'followup'
  | 'overdue'
  | 'extend'
  | 'units'
  | 'coverage'
  | 'topic'
  | 'register'
  | 'conflict'
  | 'subscribe'
  | 'unsubscribe'
  | 'group'
  | 'campaign'
  | 'stats';

const ALIASES: Record<string, CommandName> = {
  start: 'start',
  batdau: 'start',
  baotin: 'report',
  report: 'report',
  hoagiai: 'dispute',
  dispute: 'dispute',
  sohoagiai: 'register',
  register: 'register',
  xungdot: 'conflict',
  dangky: 'subscribe',
  subscribe: 'subscribe',
  huydangky: 'unsubscribe',
  unsubscribe: 'unsubscribe',
  nhom: 'group',
  group: 'group',
  chiendich: 'campaign',
  campaign: 'campaign',
  thongke: 'stats',
  stats: 'stats',
  soket: 'stats',
  conflict: 'conflict',
  huy: 'cancel',
  cancel: 'cancel',
  tracuu: 'lookup',
  status: 'lookup',
  trogiup: 'help',
  help: 'help',
  ngonngu: 'language',
  language: 'language',
  xoadulieu: 'forget',
  forget: 'forget',
  trucban: 'desk',
  desk: 'desk',
  chude: 'topic',
  topic: 'topic',
  donvi: 'units',
  units: 'units',
  phutrach: 'coverage',
  coverage: 'coverage',
  quahan: 'overdue',
  overdue: 'overdue',
  giahan: 'extend',
  extend: 'extend',
  bosung: 'followup',
  followup: 'followup',
  add: 'followup',
};

/** Words that act as commands when typed alone, without a slash ("báo tin", "hủy"). */
const BARE_WORDS: Record<string, CommandName> = {
  'bao tin': 'report',
  'to giac': 'report',
  'hoa giai': 'dispute',
  huy: 'cancel',
  'huy bo': 'cancel',
  cancel: 'cancel',
  'tra cuu': 'lookup',
  'tro giup': 'help',
  help: 'help',
};

/** "/BaoTin", "/báotin" and "/baotin" are one command. */
export function resolveCommand(name: string): CommandName | null {
  return ALIASES[foldVietnamese(name).replace(/[^a-z]/g, '')] ?? null;
}

export function resolveBareWord(text: string): CommandName | null {
  return BARE_WORDS[foldVietnamese(text).replace(/[.!?]+$/, '')] ?? null;
}
