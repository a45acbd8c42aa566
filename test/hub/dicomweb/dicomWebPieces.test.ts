import { describe, expect, it } from 'vitest';
import { BoundedLru } from '../../../hub/dicomweb/boundedLru.js';
import { searchVisibleStudies } from '../../../hub/dicomweb/qido.js';
import { acceptsGzip, etagOf, matchesIfNoneMatch, pacsProblem } from '../../../hub/dicomweb/responses.js';
import type { DicomJsonDataset, PacsAdapter, StudyQuery } from '../../../hub/pacs/pacsAdapter.js';
import { PacsNotFoundError, PacsRequestError, PacsUnavailableError } from '../../../hub/pacs/pacsErrors.js';

describe('BoundedLru', () => {
  it('drops the least recently used entry past its capacity', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.size).toBe(2);
  });
});

describe('HTTP caching and compression helpers', () => {
  it('reads Accept-Encoding, q=0 included', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('compares ETags weakly', () => {
    const etag = etagOf('[]');
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(etagOf('[]')).toBe(etag);
    expect(etagOf('[{}]')).not.toBe(etag);
    expect(matchesIfNoneMatch(etag, etag)).toBe(true);
    expect(matchesIfNoneMatch(`"x", ${etag.slice(2)}`, etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"x"', etag)).toBe(false);
  });

  it('maps PACS errors to 503, 404 and 502 without the PACS address', () => {
    const down = pacsProblem(new PacsUnavailableError('http://pacs.local:8042/dicom-web', 'refused', 'ECONNREFUSED'));
    expect(down?.status).toBe(503);
    expect(down?.message).toContain('Le PACS pivot ne répond pas');
    expect(down?.message).not.toContain('pacs.local');
    expect(pacsProblem(new PacsNotFoundError('instance 1.2.3', 'http://pacs.local/x'))?.message).toBe('The pivot PACS has no instance 1.2.3.');
    expect(pacsProblem(new PacsRequestError('http://pacs.local/x', 401, ''))?.status).toBe(502);
    expect(pacsProblem(new Error('bug'))).toBeNull();
  });
});

describe('searchVisibleStudies', () => {
  const row = (uid: string): DicomJsonDataset => ({ '0020000D': { vr: 'UI', Value: [uid] } });
  function fakePacs(answer: (query: StudyQuery) => DicomJsonDataset[]) {
    const queries: StudyQuery[] = [];
    const pacs = { searchStudies: (query: StudyQuery) => (queries.push(query), Promise.resolve(answer(query))) } as unknown as PacsAdapter;
    return { pacsOf: () => pacs, queries };
  }

  it('never asks the PACS without a StudyInstanceUID list, and drops rows the PACS should not have sent', async () => {
    const { pacsOf, queries } = fakePacs(() => [row('1.2.1'), row('1.2.99')]);
    expect((await searchVisibleStudies(pacsOf, ['1.2.1', '1.2.2'], { PatientName: 'DEMO*' })).map((r) => r['0020000D']?.Value?.[0])).toEqual(['1.2.1']);
    expect(queries).toEqual([{ match: { '00100010': 'DEMO*', '0020000D': '1.2.1,1.2.2' } }]);
  });

  it('intersects the asked UIDs with the visible ones, and asks nothing when that is empty', async () => {
    const { pacsOf, queries } = fakePacs((q) => (q.match?.['0020000D'] ?? '').split(',').map(row));
    expect(await searchVisibleStudies(pacsOf, ['1.2.1'], { StudyInstanceUID: '1.2.5' })).toEqual([]);
    expect(await searchVisibleStudies(pacsOf, [], {})).toEqual([]);
    expect(queries).toEqual([]);
    expect(await searchVisibleStudies(pacsOf, ['1.2.1', '1.2.2'], { '0020000D': '1.2.2,1.2.7', includefield: ['00081030', '00080061'] })).toEqual([row('1.2.2')]);
    expect(queries).toEqual([{ match: { '0020000D': '1.2.2' }, includefield: ['00081030', '00080061'] }]);
  });

  it('splits a long worklist into several searches and pages the result itself', async () => {
    const uids = Array.from({ length: 120 }, (_, i) => `1.2.${i + 1}`);
    const { pacsOf, queries } = fakePacs((q) => (q.match?.['0020000D'] ?? '').split(',').map(row));
    const page = await searchVisibleStudies(pacsOf, uids, { offset: '100', limit: '5' });
    expect(queries).toHaveLength(3);
    expect(page.map((r) => r['0020000D']?.Value?.[0])).toEqual(uids.slice(100, 105));
    await expect(searchVisibleStudies(pacsOf, uids, { limit: '-1' })).rejects.toThrow('limit');
  });
});
