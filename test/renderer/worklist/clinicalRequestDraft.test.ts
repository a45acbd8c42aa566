import { describe, expect, it } from 'vitest';
import { ClinicalRequest } from '../../../core/api/teleFiles.js';
import { checkClinicalRequest, type ClinicalRequestDraft } from '../../../renderer/worklist/clinicalRequestDraft.js';

const draft: ClinicalRequestDraft = {
  indication: '  Chute de sa hauteur sous AVK, GCS 14  ',
  question: 'Hématome intracrânien ?',
  priority: 'vital',
  contactPhone: '03 22 66 80 00',
  requestedBy: 'Dr Urgences',
};

describe('the clinical request form', () => {
  it('gives the request the hub accepts, trimmed', () => {
    const checked = checkClinicalRequest(draft);
    expect(checked).toEqual({ ok: true, request: { ...draft, indication: 'Chute de sa hauteur sous AVK, GCS 14' } });
    if (checked.ok) expect(ClinicalRequest.safeParse(checked.request).success).toBe(true);
  });

  it('names each field to fix, with the hub’s own limits', () => {
    expect(checkClinicalRequest({ indication: ' ', question: 'x'.repeat(1001), priority: null, contactPhone: 'urgences', requestedBy: '' })).toEqual({
      ok: false,
      problems: {
        indication: { key: 'clinicalRequest.required' },
        question: { key: 'clinicalRequest.tooLong', max: 1000 },
        priority: { key: 'clinicalRequest.priorityRequired' },
        contactPhone: { key: 'clinicalRequest.phoneInvalid' },
        requestedBy: { key: 'clinicalRequest.required' },
      },
    });
  });

  it('agrees with the hub on phone numbers', () => {
    for (const phone of ['+33 3 22 66 80 00', '0322668000', '03.22.66.80.00', '(03) 22-66-80-00', '12', 'appeler le standard']) {
      const mine = checkClinicalRequest({ ...draft, contactPhone: phone }).ok;
      expect(mine, phone).toBe(ClinicalRequest.safeParse({ ...draft, contactPhone: phone }).success);
    }
  });
});
