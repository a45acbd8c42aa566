import { describe, expect, it } from 'vitest';
import { demoOrganisation } from '../../../hub/organisation/demoOrganisation.js';
import { rewriteBulkDataUris, rewriteSearchRows } from '../../../hub/dicomweb/pacsUrls.js';
import { instanceRendition, multipartDicomStream } from '../../../hub/dicomweb/multipartDicom.js';
import { isSamePatientAtSite, studyInstantMs } from '../../../hub/dicomweb/priorMatching.js';
import { PriorStudies } from '../../../hub/dicomweb/priors.js';
import { toPriorStudy } from '../../../hub/dicomweb/priorsFor.js';
import { parseMultipartRelated, readAll } from '../../../hub/pacs/multipart.js';
import type { PacsAdapter, PatientStudy } from '../../../hub/pacs/pacsAdapter.js';
import type { TeleFileRow } from '../../../hub/teleFiles/teleFileStore.js';

const S = '1.2.3';
const SE = '1.2.3.4';
const SOP = '1.2.3.4.5';
const sites = demoOrganisation().sites;

function patientStudy(overrides: Partial<PatientStudy> = {}): PatientStudy {
  return {
    studyInstanceUid: '2.25.1',
    patientId: 'DEMO-0001',
    issuerOfPatientId: 'CH-DEMO-NORD',
    studyDate: '20240510',
    studyTime: '143000',
    studyDescription: 'SCANNER CEREBRAL',
    modalitiesInStudy: ['CT'],
    numberOfSeries: 1,
    numberOfInstances: 32,
    sourceAet: null,
    institutionName: 'CH DEMO NORD (FICTIF)',
    ...overrides,
  };
}

describe('BulkDataURI rewriting', () => {
  it('points PACS URIs at the proxy, at any depth, and never keeps the PACS address', () => {
    const pacs = `http://10.0.0.9:8042/dicom-web/studies/${S}/series/${SE}/instances/${SOP}/bulk`;
    const [out] = rewriteBulkDataUris(
      [
        {
          '00281201': { vr: 'OW', BulkDataURI: `${pacs}/00281201` },
          '00540016': { vr: 'SQ', Value: [{ '00281203': { vr: 'OW', BulkDataURI: `${pacs}/00540016/0/00281203` } }] },
          '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DEMO^X' }] },
        },
      ],
      S,
    );
    expect(out?.['00281201']).toEqual({ vr: 'OW', BulkDataURI: `/dicom-web/studies/${S}/series/${SE}/instances/${SOP}/bulk/00281201` });
    const item = (out?.['00540016']?.Value?.[0] ?? {}) as Record<string, { BulkDataURI?: string }>;
    expect(item['00281203']?.BulkDataURI).toBe(`/dicom-web/studies/${S}/series/${SE}/instances/${SOP}/bulk/00540016/0/00281203`);
    expect(JSON.stringify(out)).not.toContain('10.0.0.9');
    expect(out?.['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DEMO^X' }] });
  });

  it('drops a URI of another study or of an unknown form', () => {
    const [out] = rewriteBulkDataUris(
      [
        {
          '00281201': { vr: 'OW', BulkDataURI: `http://pacs/dicom-web/studies/9.9.9/series/${SE}/instances/${SOP}/bulk/00281201` },
          '00281202': { vr: 'OW', BulkDataURI: 'http://pacs/some/blob/42' },
        },
      ],
      S,
    );
    expect(out).toEqual({ '00281201': { vr: 'OW' }, '00281202': { vr: 'OW' } });
  });
});

describe('RetrieveURL rewriting (Orthanc writes its own address in QIDO rows)', () => {
  it('points a row’s RetrieveURL at the proxy, and drops one naming another study', () => {
    const rows = rewriteSearchRows([
      { '0020000D': { vr: 'UI', Value: [S] }, '00081190': { vr: 'UR', Value: [`http://127.0.0.1:8042/dicom-web/studies/${S}`] } },
      { '0020000D': { vr: 'UI', Value: [S] }, '00081190': { vr: 'UR', Value: ['http://127.0.0.1:8042/dicom-web/studies/9.9.9'] } },
    ]);
    expect(rows[0]?.['00081190']).toEqual({ vr: 'UR', Value: [`/dicom-web/studies/${S}`] });
    expect(rows[1]?.['00081190']).toBeUndefined();
    expect(JSON.stringify(rows)).not.toContain('8042');
    const [meta] = rewriteBulkDataUris([{ '00081190': { vr: 'UR', Value: [`http://pacs/dicom-web/studies/${S}/series/${SE}/instances/${SOP}`] } }], S);
    expect(meta?.['00081190']?.Value).toEqual([`/dicom-web/studies/${S}/series/${SE}/instances/${SOP}`]);
  });
});

describe('instance Accept negotiation', () => {
  it('answers multipart for the DICOMweb form, bare for application/dicom or nothing', () => {
    expect(instanceRendition('multipart/related; type="application/dicom"; transfer-syntax=*', true)).toBe('multipart');
    expect(instanceRendition('multipart/related; type=application/dicom', true)).toBe('multipart');
    expect(instanceRendition('application/dicom', true)).toBe('bare');
    expect(instanceRendition(undefined, true)).toBe('bare');
    expect(instanceRendition('*/*', true)).toBe('bare');
    expect(instanceRendition('image/png', true)).toBeNull();
    expect(instanceRendition('multipart/related; type="application/octet-stream"', true)).toBeNull();
    // Series and studies: only multipart exists.
    expect(instanceRendition('application/dicom', false)).toBe('multipart');
    expect(instanceRendition('image/jpeg', false)).toBeNull();
  });

  it('streams instances as one multipart/related body that parses back part by part', async () => {
    const { contentType, body } = multipartDicomStream(
      (async function* () {
        yield Buffer.from('first');
        yield Buffer.from('second\r\n--x');
      })(),
    );
    expect(contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const parts = parseMultipartRelated(contentType, await readAll(body));
    expect(parts.map((p) => p.body.toString())).toEqual(['first', 'second\r\n--x']);
    expect(parts.every((p) => p.headers['content-type'] === 'application/dicom')).toBe(true);
  });
});

describe('same patient at the same site', () => {
  const owner = { patientId: 'DEMO-0001', issuer: 'CH-DEMO-NORD', siteId: 'ch-demo-nord' };

  it('accepts the same PatientID, issuer and site (by institution name, or by calling AE title first)', () => {
    expect(isSamePatientAtSite(patientStudy(), owner, sites)).toBe(true);
    expect(isSamePatientAtSite(patientStudy({ institutionName: null, sourceAet: 'DEMO_NORD' }), owner, sites)).toBe(true);
    // No issuer in the study: the site's own applies.
    expect(isSamePatientAtSite(patientStudy({ issuerOfPatientId: null }), owner, sites)).toBe(true);
  });

  it('refuses another patient, another issuer, another site or an unknown site', () => {
    expect(isSamePatientAtSite(patientStudy({ patientId: 'DEMO-0003' }), owner, sites)).toBe(false);
    expect(isSamePatientAtSite(patientStudy({ issuerOfPatientId: 'CH-DEMO-SUD' }), owner, sites)).toBe(false);
    // The AE title wins over the institution name, as in ingest.
    expect(isSamePatientAtSite(patientStudy({ sourceAet: 'DEMO_SUD' }), owner, sites)).toBe(false);
    expect(isSamePatientAtSite(patientStudy({ institutionName: 'AILLEURS', sourceAet: null }), owner, sites)).toBe(false);
  });

  it('reads DICOM dates and times as instants', () => {
    expect(studyInstantMs({ studyDate: '20240510', studyTime: '1430' })).toBe(Date.UTC(2024, 4, 10, 14, 30, 0));
    expect(studyInstantMs({ studyDate: '', studyTime: '' })).toBeNaN();
  });

  it('shapes a prior for the viewer with ISO date and time', () => {
    expect(toPriorStudy(patientStudy({ studyTime: '1430' }))).toEqual({
      studyInstanceUid: '2.25.1',
      studyDate: '2024-05-10',
      studyTime: '14:30:00',
      studyDescription: 'SCANNER CEREBRAL',
      modalitiesInStudy: ['CT'],
      numberOfSeries: 1,
      numberOfInstances: 32,
    });
    expect(toPriorStudy(patientStudy({ studyDate: '', studyTime: '', numberOfSeries: null }))).toMatchObject({ studyDate: null, studyTime: null, numberOfSeries: null });
  });
});

describe('PriorStudies', () => {
  const teleFile = { id: 'tf-1', study_instance_uid: '2.25.9', patient_id: 'DEMO-0001', issuer: 'CH-DEMO-NORD', requesting_site_id: 'ch-demo-nord' } as TeleFileRow;
  function fakePacs(studies: PatientStudy[]) {
    const asked: string[] = [];
    const pacs = {
      patientStudies: (patientId: string) => (asked.push(patientId), Promise.resolve(studies.filter((s) => s.patientId === patientId))),
    } as unknown as PacsAdapter;
    return { pacs, asked };
  }

  it('lists the same patient’s other studies at the same site, newest first, own study and strangers excluded', async () => {
    const { pacs } = fakePacs([
      patientStudy({ studyInstanceUid: '2.25.1', studyDate: '20231101' }),
      patientStudy({ studyInstanceUid: '2.25.2', studyDate: '20240510' }),
      patientStudy({ studyInstanceUid: '2.25.9', studyDate: '20241120' }),
      patientStudy({ studyInstanceUid: '2.25.3', studyDate: '20240601', sourceAet: 'DEMO_SUD' }),
      patientStudy({ studyInstanceUid: '2.25.4', studyDate: '20240601', issuerOfPatientId: 'OTHER' }),
    ]);
    const priors = new PriorStudies(() => pacs, async () => sites);
    expect((await priors.of(teleFile)).map((s) => s.studyInstanceUid)).toEqual(['2.25.2', '2.25.1']);
    expect(await priors.isPriorOf(teleFile, '2.25.1')).toBe(true);
    expect(await priors.isPriorOf(teleFile, '2.25.3')).toBe(false);
  });

  it('asks the PACS once per patient within its time limit, then again', async () => {
    let now = 1_000_000;
    const { pacs, asked } = fakePacs([patientStudy()]);
    const priors = new PriorStudies(() => pacs, async () => sites, { ttlMs: 60_000, now: () => now });
    await priors.of(teleFile);
    await priors.isPriorOf(teleFile, '2.25.1');
    expect(asked).toHaveLength(1);
    now += 60_001;
    await priors.of(teleFile);
    expect(asked).toHaveLength(2);
  });

  it('has no priors without a PACS, a study or a recognised site', async () => {
    expect(await new PriorStudies(() => null, async () => sites).of(teleFile)).toEqual([]);
    const { pacs, asked } = fakePacs([patientStudy()]);
    const priors = new PriorStudies(() => pacs, async () => sites);
    expect(await priors.of({ ...teleFile, study_instance_uid: null })).toEqual([]);
    expect(await priors.of({ ...teleFile, requesting_site_id: null })).toEqual([]);
    expect(asked).toEqual([]);
  });
});
