import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { foldVietnamese } from '../shared/text';

/** A GeoJSON polygon: rings of [longitude, latitude], each closed (first point = last). */
export interface Polygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}

/** A ward as config/wards.json describes it. */
export interface WardPlace {
  id: string;
  name: string;
  /** Other names people type for it ("VTS", "Bàn Cờ"), with or without the "phường" prefix. */
  aliases: string[];
  /** Its boundary; a ward without one is never found from a map pin. */
  boundary: Polygon | null;
}

/**
 * How people write each administrative level before its name, diacritics
 * folded away: "phường 4", "P4", "P.4", "p. 4", "F4" (southern usage),
 * "Ward 4"; "xã", "X."; "thị trấn", "TT.".
 */
const PREFIXES = {
  phuong: ['phuong', 'phg', 'ph', 'p', 'f', 'ward'],
  xa: ['xa', 'x', 'commune'],
  thi_tran: ['thi tran', 'tt', 'town'],
} as const;

type Level = keyof typeof PREFIXES;

function levelOf(foldedName: string): { level: Level; core: string } {
  for (const level of ['thi_tran', 'phuong', 'xa'] as const) {
    const written = level === 'thi_tran' ? 'thi tran' : level;
    if (foldedName.startsWith(`${written} `)) return { level, core: foldedName.slice(written.length + 1).trim() };
  }
  return { level: 'phuong', core: foldedName };
}

/** Letters and digits only, single-spaced: "P. VTS," and "p vts" read the same. */
function words(text: string): string {
  return foldVietnamese(text).replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The text folded one character at a time (lower case, no diacritics,
 * anything but a letter or digit a space), so a match found in it has the
 * same position in the (NFC) original.
 */
function foldInPlace(nfc: string): string {
  // One UTF-16 unit at a time (not code points), so indexes line up with `nfc`.
  return nfc.split('').map((char) => {
    const folded = foldVietnamese(char).charAt(0);
    return /[a-z0-9]/.test(folded) ? folded : ' ';
  }).join('');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const GAP = '[^a-z0-9]*';

/** "4" matches "04" too; a name matches whatever spacing or punctuation. */
function corePattern(core: string): string {
  return /^\d+$/.test(core) ? `0*${Number(core)}` : core.split(' ').map(escape).join(GAP);
}

/** What an address says besides the ward: "hẻm 12 Trần Văn Đang, phường 4" → "hẻm 12 Trần Văn Đang". */
function without(nfc: string, from: number, to: number): string {
  const edge = /^[\s,;.:\-–—/|]+|[\s,;.:\-–—/|]+$/g;
  const before = nfc.slice(0, from).replace(edge, '');
  const after = nfc.slice(to).replace(edge, '');
  return before && after ? `${before}, ${after}` : before || after;
}

interface Entry {
  ward: WardPlace;
  /** The ward's names without the prefix, as `words` writes them. */
  cores: string[];
  /** Finds the ward named with one of its level's prefixes in a text folded in place. */
  inText: RegExp;
}

/** A ward found in an address, and what the address says besides it. */
export interface WardInAddress {
  ward: WardPlace;
  rest: string;
}

/**
 * Finds wards in what residents type and where they drop a pin. Every
 * comparison ignores case and diacritics.
 */
export class WardFinder {
  private readonly entries: Entry[];

  constructor(wards: WardPlace[]) {
    this.entries = wards.map((ward) => {
      const { level, core } = levelOf(words(ward.name));
      // An alias may carry any of its level's prefixes ("TT. CT", "P. VTS"): its core is what follows.
      const aliasPrefix = new RegExp(`^(?:${PREFIXES[level].join('|')}) (?=.)`);
      const cores = [...new Set([core, ...ward.aliases.map((alias) => words(alias).replace(aliasPrefix, ''))].filter((c) => c.length > 0))];
      const prefixes = PREFIXES[level].map((p) => p.split(' ').join(GAP)).join('|');
      // A prefix run straight into a number ("P4", "F14") or apart ("phuong 4", "P. 4"); never a longer number or word ("P41", "phuong 4a").
      const inText = new RegExp(`(?<![a-z0-9])(?:${prefixes})${GAP}(?:${cores.map(corePattern).join('|')})(?![a-z0-9])`);
      return { ward, cores, inText };
    });
  }

  /** The ward a whole answer names: "Phường 4", "phuong 4", "P4", "4", "Võ Thị Sáu", an alias. */
  named(typed: string): WardPlace | undefined {
    const text = words(typed);
    if (!text) return undefined;
    const bare = levelOf(text).core;
    const isNumber = (value: string) => /^\d+$/.test(value);
    const exact = this.entries.find((e) => e.cores.some((core) => core === bare || (isNumber(core) && isNumber(bare) && Number(core) === Number(bare))));
    if (exact) return exact.ward;
    const inText = this.findIn(typed);
    return inText?.rest === '' ? inText.ward : undefined;
  }

  /**
   * The ward an address names with its prefix ("hẻm 12 Trần Văn Đang,
   * phuong 4", "123 Nguyễn Đình Chiểu P4"). A bare name is not enough
   * inside an address: "Võ Thị Sáu" is also a street. An address that names
   * two different wards names none (the resident is asked).
   */
  findIn(address: string): WardInAddress | undefined {
    const nfc = address.normalize('NFC');
    const folded = foldInPlace(nfc);
    const found = this.entries.flatMap((e) => {
      const match = e.inText.exec(folded);
      return match ? [{ ward: e.ward, from: match.index, to: match.index + match[0].length }] : [];
    });
    if (found.length !== 1) return undefined;
    return { ward: found[0].ward, rest: without(nfc, found[0].from, found[0].to) };
  }

  /** The ward whose boundary holds this point, if any. */
  at(lat: number, lon: number): WardPlace | undefined {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
    return this.entries.find((e) => e.ward.boundary !== null && booleanPointInPolygon([lon, lat], e.ward.boundary))?.ward;
  }
}
