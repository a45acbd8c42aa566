import { HttpProblem } from '../http/httpProblem.js';
import { firstString, TAG, toTag, type DicomJsonDataset } from '../pacs/dicomJson.js';
import type { PacsAdapter } from '../pacs/pacsAdapter.js';
import { StudyAccess } from './studyAccess.js';

/** Study UIDs per PACS search: keeps the PACS URL short (64-character UIDs) whatever the worklist's length. */
const UIDS_PER_SEARCH = 50;
const MAX_LIMIT = 1000;

type Query = Record<string, string | string[] | undefined>;

function count(name: string, value: string | string[] | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value)) throw new HttpProblem(400, 'bad-request', `${name} must be a non-negative integer.`);
  return Number(value);
}

function values(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * A QIDO-RS study search restricted to the studies the reader may see.
 * The PACS is only ever asked with an explicit StudyInstanceUID list (the
 * reader's tele-files, intersected with any list they gave); other matching
 * keys are passed on to narrow it further. Rows are filtered again here in
 * case a PACS ignores the list. Query values are never logged.
 */
export async function searchVisibleStudies(pacsOf: () => PacsAdapter, visibleUids: readonly string[], query: Query): Promise<DicomJsonDataset[]> {
  const match: Record<string, string> = {};
  const includefield: string[] = [];
  let asked: Set<string> | null = null;
  let limit = MAX_LIMIT;
  let offset = 0;
  for (const [key, value] of Object.entries(query)) {
    if (key === 'includefield') {
      includefield.push(...values(value));
    } else if (key === 'limit') {
      limit = Math.min(count('limit', value, MAX_LIMIT), MAX_LIMIT);
    } else if (key === 'offset') {
      offset = count('offset', value, 0);
    } else if (key === 'fuzzymatching') {
      // Orthanc ignores it (PITFALLS); so does the proxy.
    } else {
      const tag = toTag(key);
      if (tag === undefined) throw new HttpProblem(400, 'bad-request', `"${key.slice(0, 64)}" is not a DICOM attribute (give a keyword such as StudyDate or a tag such as 00080020).`);
      if (tag === TAG.StudyInstanceUID) {
        const uids = values(value);
        for (const uid of uids) StudyAccess.checkUid(uid, 'StudyInstanceUID');
        asked = new Set(uids);
      } else {
        if (Array.isArray(value)) throw new HttpProblem(400, 'bad-request', `Give ${key.slice(0, 64)} once.`);
        match[tag] = value ?? '';
      }
    }
  }
  const allowed = [...new Set(visibleUids)].filter((uid) => asked === null || asked.has(uid));
  if (allowed.length === 0) return [];
  const pacs = pacsOf();
  const rows: DicomJsonDataset[] = [];
  for (let i = 0; i < allowed.length; i += UIDS_PER_SEARCH) {
    const chunk = allowed.slice(i, i + UIDS_PER_SEARCH);
    rows.push(...(await pacs.searchStudies({ match: { ...match, [TAG.StudyInstanceUID]: chunk.join(',') }, ...(includefield.length > 0 ? { includefield } : {}) })));
  }
  const allowedSet = new Set(allowed);
  const seen = new Set<string>();
  const visible = rows.filter((row) => {
    const uid = firstString(row, TAG.StudyInstanceUID);
    if (uid === undefined || !allowedSet.has(uid) || seen.has(uid)) return false;
    seen.add(uid);
    return true;
  });
  return visible.slice(offset, offset + limit);
}
