import { describe, expect, it } from 'vitest';
import { isValidUid, newUid } from '../../../../hub/reports/documents/uids.js';
import { dicomDate, dicomTime, frenchDate, frenchTime, zonedTimestamp } from '../../../../hub/reports/documents/parisTime.js';
import { displayNameToPn } from '../../../../hub/reports/documents/personName.js';

describe('newUid', () => {
  it('under 2.25 is a UUID as a decimal integer, valid and unique', () => {
    const uids = Array.from({ length: 200 }, () => newUid('2.25'));
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
      expect(uid.length).toBeLessThanOrEqual(64);
      expect(isValidUid(uid)).toBe(true);
    }
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('under an organisation root is root.timestamp.random within 64 characters', () => {
    const root = '1.2.250.1.999.12345.6789'; // 24 characters, the configured maximum
    const uids = Array.from({ length: 200 }, () => newUid(root));
    for (const uid of uids) {
      expect(uid.startsWith(`${root}.`)).toBe(true);
      expect(uid.length).toBeLessThanOrEqual(64);
      expect(isValidUid(uid)).toBe(true);
    }
    expect(new Set(uids).size).toBe(uids.length);
    expect(newUid('1.2.3')).toMatch(/^1\.2\.3\.\d{13}\.[1-9]\d{19}$/);
  });

  it('refuses an invalid root', () => {
    for (const root of ['', '1.02.3', '1..2', '1.2.', 'a.b', '1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22']) {
      expect(() => newUid(root)).toThrow();
    }
  });

  it('isValidUid applies the DICOM rules', () => {
    expect(isValidUid('1.2.840.10008.5.1.4.1.1.88.11')).toBe(true);
    expect(isValidUid('1.2.0.3')).toBe(true);
    expect(isValidUid('1.2.03')).toBe(false);
    expect(isValidUid(`1.${'2'.repeat(63)}`)).toBe(false);
  });
});

describe('Paris time and names', () => {
  it('writes instants in Paris wall-clock time with the right offset, winter and summer', () => {
    const winter = new Date('2026-11-23T02:12:09Z');
    expect([dicomDate(winter), dicomTime(winter), zonedTimestamp(winter), frenchDate(winter), frenchTime(winter)]).toEqual(['20261123', '031209', '20261123031209+0100', '23/11/2026', '03:12']);
    const summerNight = new Date('2026-07-14T22:30:00Z');
    expect([zonedTimestamp(summerNight), frenchDate(summerNight)]).toEqual(['20260715003000+0200', '15/07/2026']);
  });

  it('turns a display name into a PN', () => {
    expect(displayNameToPn('Dr Claire Martin')).toBe('Martin^Claire^^Dr');
    expect(displayNameToPn('Jean-Pierre  Durand')).toBe('Durand^Jean-Pierre');
    expect(displayNameToPn('de la Tour^Anne')).toBe('de la Tour^Anne');
    expect(displayNameToPn('Cher')).toBe('Cher');
  });
});
