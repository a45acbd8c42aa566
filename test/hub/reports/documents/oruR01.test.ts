import { describe, expect, it } from 'vitest';
import { components, escapeHl7, segment } from '../../../../hub/reports/documents/hl7.js';
import { buildOruR01, pnToXpn } from '../../../../hub/reports/documents/oruR01.js';
import { addendumInput, FRENCH, reportInput } from './fixture.js';

const OPTIONS = { sendingFacility: 'TELERADIO-HDF', receivingFacility: 'CH-DEMO-NORD', messageControlId: 'VIG-000042', now: new Date('2026-11-23T02:13:05Z') };

function parse(message: string): string[][] {
  expect(message.endsWith('\r')).toBe(true);
  expect(message).not.toContain('\n');
  return message
    .slice(0, -1)
    .split('\r')
    .map((line) => line.split('|'));
}

function first(segments: string[][], name: string): string[] {
  const found = segments.find((s) => s[0] === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('HL7 escaping', () => {
  it('escapes every delimiter, the escape character first', () => {
    expect(escapeHl7('a|b^c&d~e\\f')).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
    expect(escapeHl7('\\F\\')).toBe('\\E\\F\\E\\');
    expect(escapeHl7('ligne 1\r\nligne 2\nligne 3')).toBe('ligne 1 ligne 2 ligne 3');
    expect(escapeHl7(FRENCH)).toBe(FRENCH);
  });

  it('builds components and segments without trailing empties', () => {
    expect(components('id', '', '', 'CH^X', '')).toBe('id^^^CH\\S\\X');
    expect(segment('PID', ['1', '', 'x', '', ''])).toBe('PID|1||x');
  });

  it('turns a DICOM PN into an XPN (prefix and suffix swap places)', () => {
    expect(pnToXpn('Martin^Claire^Anne^Dr^Jr')).toBe('Martin^Claire^Anne^Jr^Dr');
    expect(pnToXpn('DEMO^CRANE')).toBe('DEMO^CRANE');
  });
});

describe('ORU^R01 of a signed report', () => {
  it('has MSH, PID, ORC, OBR and one TX OBX per line, in order', () => {
    const segments = parse(buildOruR01(reportInput(), OPTIONS));
    expect(segments.map((s) => s[0]).filter((n, i, all) => all.indexOf(n) === i)).toEqual(['MSH', 'PID', 'ORC', 'OBR', 'OBX']);
    expect(segments.map((s) => s.join('|'))[0]).toBe('MSH|^~\\&|VIGIE|TELERADIO-HDF||CH-DEMO-NORD|20261123031305+0100||ORU^R01^ORU_R01|VIG-000042|P|2.5.1|||||FRA|UNICODE UTF-8');
    const pid = first(segments, 'PID');
    expect(pid[3]).toBe('DEMO-0001^^^CH-DEMO-NORD^PI');
    expect(pid[5]).toBe('DEMO^CRANE');
    expect(pid[7]).toBe('19570412');
    expect(pid[8]).toBe('M');
    const obr = first(segments, 'OBR');
    expect(obr[2]).toBe('DEMO79909801');
    expect(obr[3]).toBe('DEMO79909801');
    expect(obr[4]).toMatch(/^18748-4\^/);
    expect(obr[7]).toBe('20240427213000');
    expect(obr[22]).toBe('20261123031200+0100');
    expect(obr[25]).toBe('F');
    expect(obr[32]).toBe('cmartin&Martin&Claire&&&Dr');
  });

  it('writes each section heading then its lines, escaped, with the critical finding in the conclusion', () => {
    const obx = parse(buildOruR01(reportInput(), OPTIONS)).filter((s) => s[0] === 'OBX');
    expect(obx.map((s) => Number(s[1]))).toEqual(obx.map((_, i) => i + 1));
    expect(obx.every((s) => s[2] === 'TX' && s[11] === 'F' && s[14] === '20261123031200+0100')).toBe(true);
    const lines = obx.map((s) => `${s[4]}:${s[5]}`);
    expect(lines[0]).toBe('1:INDICATION');
    expect(lines[1]).toBe('1:Chute de sa hauteur sous anticoagulants, céphalées. Éliminer un saignement intracrânien.');
    expect(lines).toContain('3:RÉSULTATS');
    expect(lines).toContain(`3:Caractères : ${FRENCH} \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ fin.`);
    expect(lines.slice(-4)).toEqual([
      '4:CONCLUSION',
      '4:Hématome intraparenchymateux frontal droit aigu avec œdème périlésionnel, sans engagement.',
      '4:Avis neurochirurgical recommandé.',
      '4:Résultat critique communiqué à Dr Léa Bernard (urgences CH Nord) par téléphone le 23/11/2026 à 03:05 (heure de Paris).',
    ]);
    expect(obx.filter((s) => s[3]?.startsWith('121071^Finding^DCM'))).toHaveLength(42); // heading + 40 paragraphs + the character line
  });

  it('sends an addendum as a correction (C) with a note naming the corrected report', () => {
    const segments = parse(buildOruR01(addendumInput(), { ...OPTIONS, now: new Date('2026-07-01T10:00:00Z') }));
    expect(segments[0]?.[6]).toBe('20260701120000+0200'); // summer time
    expect(first(segments, 'OBR')[25]).toBe('C');
    expect(first(segments, 'NTE').join('|')).toBe('NTE|1|L|Addendum au compte rendu du 23/11/2026');
    const obx = segments.filter((s) => s[0] === 'OBX');
    expect(obx.map((s) => s[5])).toEqual(['CONCLUSION', 'Précision : l’hématome mesure 26 mm et non 24 mm.']);
    expect(obx.every((s) => s[11] === 'C')).toBe(true);
  });

  it('keeps the placer order empty and the filler as the report id without an accession number', () => {
    const input = reportInput();
    delete input.study['00080050'];
    input.teleFile.accessionNumber = null;
    const obr = first(parse(buildOruR01(input, OPTIONS)), 'OBR');
    expect(obr[2]).toBe('');
    expect(obr[3]).toBe('rep-0001');
  });
});
