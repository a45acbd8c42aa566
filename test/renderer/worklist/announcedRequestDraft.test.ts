import { describe, expect, it } from 'vitest';
import { AnnouncedRequest } from '../../../core/api/teleFiles.js';
import { ReadingApiError } from '../../../core/readingApi.js';
import {
  ANNOUNCED_MODALITIES,
  ANNOUNCED_REQUEST_FIELDS,
  EMPTY_ANNOUNCED_REQUEST,
  checkAnnouncedRequest,
  defaultSiteId,
  problemsFromHub,
  type AnnouncedRequestDraft,
} from '../../../renderer/worklist/announcedRequestDraft.js';

const draft: AnnouncedRequestDraft = {
  requestingSiteId: 'ch-montdidier',
  accessionNumber: ' A2026-0042 ',
  patientId: ' 00123456 ',
  patientName: ' DUPONT Jean ',
  modality: 'ct',
  indication: 'Chute de sa hauteur sous AVK, GCS 14',
  question: 'Hématome intracrânien ?',
  priority: 'vital',
  contactPhone: '03 22 66 80 00',
  requestedBy: 'Dr Urgences',
};

describe('the "Nouvelle demande" form (request first)', () => {
  it('gives the announcement the hub accepts, trimmed, the modality in capitals', () => {
    const checked = checkAnnouncedRequest(draft);
    expect(checked).toEqual({
      ok: true,
      request: { ...draft, accessionNumber: 'A2026-0042', patientId: '00123456', patientName: 'DUPONT Jean', modality: 'CT' },
    });
    if (checked.ok) expect(AnnouncedRequest.parse(checked.request)).toEqual(checked.request);
  });

  it('leaves the patient name out when none is given (it is optional)', () => {
    const checked = checkAnnouncedRequest({ ...draft, patientName: '   ' });
    expect(checked.ok && 'patientName' in checked.request).toBe(false);
    if (checked.ok) expect(AnnouncedRequest.safeParse(checked.request).success).toBe(true);
  });

  it('names every field to fix, the study’s and the clinical request’s, in form order', () => {
    const checked = checkAnnouncedRequest(EMPTY_ANNOUNCED_REQUEST);
    expect(checked).toEqual({
      ok: false,
      problems: {
        requestingSiteId: { key: 'newRequest.siteRequired' },
        accessionNumber: { key: 'clinicalRequest.required' },
        patientId: { key: 'clinicalRequest.required' },
        modality: { key: 'newRequest.modalityRequired' },
        indication: { key: 'clinicalRequest.required' },
        question: { key: 'clinicalRequest.required' },
        priority: { key: 'clinicalRequest.priorityRequired' },
        contactPhone: { key: 'clinicalRequest.phoneInvalid' },
        requestedBy: { key: 'clinicalRequest.required' },
      },
    });
    if (!checked.ok) expect(ANNOUNCED_REQUEST_FIELDS.find((field) => checked.problems[field])).toBe('requestingSiteId');
  });

  it('applies the DICOM limits the hub applies: length and no backslash', () => {
    const checked = checkAnnouncedRequest({ ...draft, accessionNumber: 'A'.repeat(17), patientId: 'IPP\\2', patientName: 'X'.repeat(65), modality: 'scanner!' });
    expect(checked).toEqual({
      ok: false,
      problems: {
        accessionNumber: { key: 'clinicalRequest.tooLong', max: 16 },
        patientId: { key: 'newRequest.noBackslash' },
        patientName: { key: 'clinicalRequest.tooLong', max: 64 },
        modality: { key: 'newRequest.modalityRequired' },
      },
    });
  });

  it('agrees with the hub on what it accepts', () => {
    const cases: Partial<AnnouncedRequestDraft>[] = [
      { accessionNumber: 'A'.repeat(16) },
      { accessionNumber: 'A'.repeat(17) },
      { patientId: 'P'.repeat(64) },
      { patientId: 'P'.repeat(65) },
      { patientName: 'DUPONT^JEAN' },
      { patientName: 'A\\B' },
      { modality: 'MR' },
      { modality: 'C T' },
      { requestingSiteId: '' },
      { contactPhone: 'appeler le standard' },
    ];
    for (const change of cases) {
      const mine = checkAnnouncedRequest({ ...draft, ...change });
      const hub = AnnouncedRequest.safeParse({ ...draft, ...change, priority: draft.priority });
      expect(mine.ok, JSON.stringify(change)).toBe(hub.success);
    }
  });

  it('offers only modalities read remotely, each one the hub accepts', () => {
    expect(ANNOUNCED_MODALITIES).not.toContain('US');
    for (const modality of ANNOUNCED_MODALITIES) expect(checkAnnouncedRequest({ ...draft, modality }).ok).toBe(true);
  });

  it('preselects the site only when the person requests for a single one', () => {
    expect(defaultSiteId([{ id: 'ch-montdidier' }])).toBe('ch-montdidier');
    expect(defaultSiteId([{ id: 'ch-montdidier' }, { id: 'ch-abbeville' }])).toBe('');
    expect(defaultSiteId([])).toBe('');
  });

  it('says a 409 next to the accession number, and leaves other failures to the form', () => {
    expect(problemsFromHub(new ReadingApiError(409, { code: 'conflict', message: 'already announced', requestId: 'r' }))).toEqual({ accessionNumber: { key: 'newRequest.alreadyAnnounced' } });
    expect(problemsFromHub(new ReadingApiError(403, { code: 'forbidden', message: 'no', requestId: 'r' }))).toBeNull();
    expect(problemsFromHub(null)).toBeNull();
  });
});
