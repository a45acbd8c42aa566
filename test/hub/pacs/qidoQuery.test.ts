import { describe, expect, it } from 'vitest';
import { PacsBadRequestError } from '../../../hub/pacs/pacsErrors.js';
import { buildQidoQueryString, encodeQueryValue } from '../../../hub/pacs/qidoQuery.js';

describe('QIDO query strings (PITFALLS: Orthanc does not percent-decode)', () => {
  it('sends DICOM matching characters literally for every server', () => {
    expect(encodeQueryValue('DEMO^THOR*', 'orthanc')).toBe('DEMO^THOR*');
    expect(encodeQueryValue('DEMO^THOR*', 'standard')).toBe('DEMO^THOR*');
    expect(encodeQueryValue('20240101-20240102', 'orthanc')).toBe('20240101-20240102');
    expect(encodeQueryValue('1.2.3,1.2.4', 'standard')).toBe('1.2.3,1.2.4');
  });

  it('turns other characters into wildcards for Orthanc and percent-encodes them elsewhere', () => {
    expect(encodeQueryValue('RADIO THORAX', 'orthanc')).toBe('RADIO?THORAX');
    expect(encodeQueryValue('RADIO THORAX', 'standard')).toBe('RADIO%20THORAX');
    expect(encodeQueryValue('HÉLÈNE^ÉLODIE', 'orthanc')).toBe('H*L*NE^*LODIE');
    expect(encodeQueryValue('HÉLÈNE', 'standard')).toBe('H%C3%89L%C3%88NE');
    expect(encodeQueryValue('A&B=C#D', 'orthanc')).toBe('A?B?C?D');
    expect(encodeQueryValue('A+B', 'standard')).toBe('A%2BB');
  });

  it('builds a query from keywords or tags, with includefield, limit and offset', () => {
    expect(
      buildQidoQueryString({ match: { PatientName: 'DEMO^*', '00100020': 'ID 1' }, includefield: ['IssuerOfPatientID', '00401002'], limit: 10, offset: 20 }, 'orthanc'),
    ).toBe('00100010=DEMO^*&00100020=ID?1&includefield=00100021,00401002&limit=10&offset=20');
    expect(buildQidoQueryString({}, 'standard')).toBe('');
  });

  it('refuses unknown attributes and bad counts with a typed error', () => {
    expect(() => buildQidoQueryString({ match: { NotAKeyword: 'x' } }, 'orthanc')).toThrow(PacsBadRequestError);
    expect(() => buildQidoQueryString({ match: { 'a=b&c': 'x' } }, 'orthanc')).toThrow(PacsBadRequestError);
    expect(() => buildQidoQueryString({ limit: -1 }, 'orthanc')).toThrow(PacsBadRequestError);
  });
});
