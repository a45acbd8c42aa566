import { describe, expect, it } from 'vitest';
import { bulkValue, inlinePaletteTables } from '../../../hub/dicomweb/inlineLookupTables.js';
import { buildMultipartRelated } from '../../../hub/pacs/multipart.js';
import type { DicomJsonDataset } from '../../../hub/pacs/dicomJson.js';

const STUDY = '1.2.3';
const uri = (sop: string, tag: string) => `/dicom-web/studies/${STUDY}/series/1.2.3.4/instances/${sop}/bulk/${tag}`;

function palette(sop: string): DicomJsonDataset {
  return {
    '00080018': { vr: 'UI', Value: [sop] },
    '00281101': { vr: 'US', Value: [2, 0, 16] },
    '00281201': { vr: 'OW', BulkDataURI: uri(sop, '00281201') },
    '00281202': { vr: 'OW', BulkDataURI: uri(sop, '00281202') },
    '00281203': { vr: 'OW', BulkDataURI: uri(sop, '00281203') },
    '7FE00010': { vr: 'OW', BulkDataURI: uri(sop, '7FE00010') },
  };
}

describe('inlinePaletteTables', () => {
  it('puts each palette table inline, read from the PACS by series, instance and tag; pixel data stays a BulkDataURI', async () => {
    const asked: string[] = [];
    const out = await inlinePaletteTables([palette('1.2.3.4.5'), palette('1.2.3.4.6')], async (series, sop, path) => {
      asked.push(`${series} ${sop} ${path}`);
      return { contentType: 'application/octet-stream', body: Buffer.from(`${sop}:${path}`) };
    });
    expect(asked.sort()).toEqual(['1.2.3.4 1.2.3.4.5 00281201', '1.2.3.4 1.2.3.4.5 00281202', '1.2.3.4 1.2.3.4.5 00281203', '1.2.3.4 1.2.3.4.6 00281201', '1.2.3.4 1.2.3.4.6 00281202', '1.2.3.4 1.2.3.4.6 00281203'].sort());
    expect(out[1]?.['00281202']).toEqual({ vr: 'OW', InlineBinary: Buffer.from('1.2.3.4.6:00281202').toString('base64') });
    expect(out[0]?.['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: uri('1.2.3.4.5', '7FE00010') });
  });

  it('keeps the BulkDataURI of a table the PACS does not give, and asks nothing for metadata without tables', async () => {
    const out = await inlinePaletteTables([palette('1.2.3.4.5')], async (_series, _sop, path) => {
      if (path === '00281202') throw new Error('404');
      return { contentType: 'application/octet-stream', body: Buffer.from([1, 0, 2, 0]) };
    });
    expect(out[0]?.['00281201']).toEqual({ vr: 'OW', InlineBinary: 'AQACAA==' });
    expect(out[0]?.['00281202']).toEqual({ vr: 'OW', BulkDataURI: uri('1.2.3.4.5', '00281202') });
    const plain: DicomJsonDataset[] = [{ '00280004': { vr: 'CS', Value: ['MONOCHROME2'] } }];
    let reads = 0;
    expect(
      await inlinePaletteTables(plain, async () => {
        reads += 1;
        return { contentType: 'application/octet-stream', body: Buffer.alloc(0) };
      }),
    ).toBe(plain);
    expect(reads).toBe(0);
  });

  it('a multipart answer gives its first part’s bytes', () => {
    const { contentType, body } = buildMultipartRelated([{ contentType: 'application/octet-stream', body: Buffer.from([7, 8, 9]) }], 'application/octet-stream');
    expect([...bulkValue({ contentType, body })]).toEqual([7, 8, 9]);
    expect([...bulkValue({ contentType: 'application/octet-stream', body: Buffer.from([1]) })]).toEqual([1]);
  });
});
