/**
 * People's names between a display name, DICOM PN and HL7 XPN.
 *
 * Accounts hold one display name ("Dr Claire Martin"); DICOM wants
 * Family^Given^Middle^Prefix^Suffix. The last word is taken as the family
 * name and a leading title as the prefix — wrong for compound family names
 * ("de la Tour"), which is why a display name already written with carets is
 * kept as it is.
 */
const TITLES = /^(dr|pr|docteur|professeur|mme|m|mr)\.?$/i;

export function displayNameToPn(displayName: string): string {
  const name = displayName.replace(/\s+/g, ' ').trim();
  if (name.includes('^')) return name;
  const words = name.split(' ').filter(Boolean);
  const prefix = words.length > 1 && TITLES.test(words[0] ?? '') ? (words.shift() ?? '') : '';
  const family = words.pop() ?? '';
  const given = words.join(' ');
  return trimCarets([family, given, '', prefix].join('^'));
}

/** Drops empty trailing components ("Martin^Claire^^" → "Martin^Claire"). */
export function trimCarets(pn: string): string {
  return pn.replace(/\^+$/, '');
}

export interface NameParts {
  family: string;
  given: string;
  middle: string;
  prefix: string;
  suffix: string;
}

/** The components of a PN's alphabetic group (ideographic/phonetic groups after `=` are dropped). */
export function pnParts(pn: string): NameParts {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = (pn.split('=')[0] ?? '').split('^').map((s) => s.trim());
  return { family, given, middle, prefix, suffix };
}

/** "Jean DUPONT" for a page: given names then family name. */
export function pnToText(pn: string): string {
  const p = pnParts(pn);
  return [p.prefix, p.given, p.middle, p.family, p.suffix].filter(Boolean).join(' ');
}
