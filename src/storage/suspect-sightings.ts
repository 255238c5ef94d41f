import type { Model } from 'mongoose';
import { SIGHTINGS_KEPT, type Sighting, type SuspectSightingDoc } from './models/suspect-sighting.model';
import { replaceById } from './claims';

/** An identifier as the tips name it ("phone", "0987654321"). */
export interface IdentifierKey {
  type: string;
  value: string;
}

/**
 * Which earlier tips named the same phone number, account, link or plate:
 * one document per identifier, read and written by `_id`, so linking a tip
 * costs the same with 100,000 stored reports as with none.
 *
 * Recording is a read then a replace: two tips naming one identifier in the
 * same instant may keep only one of the two sightings (on MongoDB a
 * `$push` with `$each`/`$slice` would not; FerretDB v1 runs that as a read
 * and a write too). A lost sighting costs a missed link, never a tip.
 */
export class SuspectSightings {
  /** @param pseudonym the keyed hash an identifier is filed under (PiiCipher.pseudonym): the collection never holds a phone number or an account. */
  constructor(
    private readonly sightings: Model<SuspectSightingDoc>,
    private readonly pseudonym: (identifier: string) => string,
  ) {}

  /**
   * The tips that named any of `identifiers`, newest first, each once; and
   * how to add a new tip to them (it writes what was read here, so adding
   * reads nothing again).
   */
  async of(identifiers: IdentifierKey[]): Promise<{ earlier: Sighting[]; record(sighting: Sighting): Promise<void> }> {
    const docs = await Promise.all(identifiers.map(async (i) => ({ _id: sightingsIdOf(i, this.pseudonym), sightings: (await this.sightings.findOne({ _id: sightingsIdOf(i, this.pseudonym) }).lean())?.sightings ?? [] })));
    const seen = new Set<string>();
    const earlier = docs
      .flatMap((doc) => doc.sightings)
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .filter((s) => !seen.has(s.code) && Boolean(seen.add(s.code)));
    const record = async (sighting: Sighting): Promise<void> => {
      await Promise.all(
        docs.map(({ _id, sightings }) =>
          replaceById(this.sightings, _id, { sightings: [sighting, ...sightings.filter((s) => s.code !== sighting.code)].slice(0, SIGHTINGS_KEPT) }),
        ),
      );
    };
    return { earlier, record };
  }
}

/** The `_id` of an identifier's sightings: a keyed hash of its type and normalized value. */
export function sightingsIdOf(identifier: IdentifierKey, pseudonym: (identifier: string) => string): string {
  return pseudonym(`suspect:${identifier.type}:${identifier.value}`);
}
