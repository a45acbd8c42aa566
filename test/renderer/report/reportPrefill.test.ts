import { describe, expect, it } from 'vitest';
import { EMPTY_CONTENT } from '../../../core/api/reports.js';
import { applyTemplate, indicationOf, suggestedFamily, techniqueFacts, techniqueLine, type TechniqueLabels } from '../../../renderer/report/reportPrefill.js';
import { teleFile } from '../teleFileFixture.js';

const LABELS: TechniqueLabels = {
  modality: (code) => (code === 'CT' ? 'Scanner (CT)' : code),
  protocol: 'Protocole',
  series: 'Série',
  contrast: 'Produit de contraste',
  ctdiVol: 'CTDIvol',
  dlp: 'PDL',
  number: (value) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(value),
};

const HEADER = {
  '00080060': { vr: 'CS', Value: ['CT'] },
  '00081030': { vr: 'LO', Value: ['TDM CEREBRALE'] },
  '0008103E': { vr: 'LO', Value: ['Axial 5 mm'] },
  '00181030': { vr: 'LO', Value: ['CRANE SANS IV'] },
  '00189345': { vr: 'FD', Value: [45.23] },
};

describe('techniqueFacts and techniqueLine', () => {
  it('states the modality, protocol, series and CTDIvol of the first instance', () => {
    const facts = techniqueFacts(HEADER);
    expect(facts).toEqual({ modality: 'CT', protocol: 'CRANE SANS IV', series: 'Axial 5 mm', contrast: null, ctdiVol: 45.23, dlp: null });
    expect(techniqueLine(facts, LABELS)).toBe('Scanner (CT). Protocole : CRANE SANS IV. Série : Axial 5 mm. CTDIvol : 45,2 mGy.');
  });

  it('names the contrast agent, and reads CTDIvol from the CT exposure sequence and DLP from the image comments', () => {
    const header = {
      '00080060': { vr: 'CS', Value: ['CT'] },
      '00180010': { vr: 'LO', Value: ['Omnipaque 350'] },
      '00189321': { vr: 'SQ', Value: [{ '00189345': { vr: 'FD', Value: [12.5] } }] },
      '00204000': { vr: 'LT', Value: ['Total DLP = 812.4 mGy.cm'] },
    };
    const facts = techniqueFacts(header);
    expect(facts).toMatchObject({ contrast: 'Omnipaque 350', ctdiVol: 12.5, dlp: 812.4 });
    expect(techniqueLine(facts, LABELS)).toBe('Scanner (CT). Produit de contraste : Omnipaque 350. CTDIvol : 12,5 mGy, PDL : 812,4 mGy·cm.');
  });

  it('says nothing it does not know: no header, no line; no agent, no "without contrast"', () => {
    expect(techniqueLine(techniqueFacts(null), LABELS)).toBe('');
    expect(techniqueLine(techniqueFacts(HEADER), LABELS)).not.toMatch(/contraste/);
  });
});

describe('suggestedFamily', () => {
  it('guesses the template family from the modality and the study words', () => {
    const ct = { modalities: ['CT'], modalityFamily: 'cross-sectional' as const, bodyPart: null, clinicalQuestion: null };
    expect(suggestedFamily({ ...ct, studyDescription: 'TDM CEREBRALE', clinicalQuestion: 'Chute, TC' })).toBe('head-ct-trauma');
    expect(suggestedFamily({ ...ct, studyDescription: 'TDM cérébrale', clinicalQuestion: 'Déficit brutal, AVC ?' })).toBe('head-ct-stroke');
    expect(suggestedFamily({ ...ct, studyDescription: 'Angio-TDM thoracique', clinicalQuestion: 'EP ?' })).toBe('chest-ct-pe');
    expect(suggestedFamily({ ...ct, studyDescription: 'TDM abdomino-pelvienne' })).toBe('abdomen-ct');
    expect(suggestedFamily({ ...ct, studyDescription: 'Rachis' })).toBeNull();
    expect(suggestedFamily({ modalities: ['DX'], modalityFamily: 'conventional', bodyPart: 'WRIST', studyDescription: null, clinicalQuestion: null })).toBe('limb-radiograph');
    expect(suggestedFamily(teleFile())).not.toBe('limb-radiograph');
  });
});

describe('applyTemplate', () => {
  const template = { sections: { technique: 'Acquisition hélicoïdale.', findings: 'Pas d’hémorragie.', conclusion: 'Examen normal.' } };

  it('fills the empty sections: indication from the request, technique from the images then the template', () => {
    expect(applyTemplate(template, EMPTY_CONTENT, { indication: ' Chute, TC ', technique: 'Scanner (CT).' })).toEqual({
      content: { indication: 'Chute, TC', technique: 'Scanner (CT).\nAcquisition hélicoïdale.', findings: 'Pas d’hémorragie.', conclusion: 'Examen normal.' },
      kept: [],
    });
  });

  it('never overwrites what the person wrote, and says which sections it left', () => {
    const current = { ...EMPTY_CONTENT, findings: 'Hématome sous-dural droit.', indication: 'Chute, TC' };
    const result = applyTemplate(template, current, { indication: 'Chute, TC', technique: '' });
    expect(result.content.findings).toBe('Hématome sous-dural droit.');
    expect(result.content.conclusion).toBe('Examen normal.');
    expect(result.kept).toEqual(['findings']);
  });

  it('without a template, prefills only the indication and the technique', () => {
    expect(applyTemplate(null, EMPTY_CONTENT, { indication: null, technique: 'Scanner (CT).' }).content).toEqual({ ...EMPTY_CONTENT, technique: 'Scanner (CT).' });
  });
});

describe('the indication from the clinical request', () => {
  it('is the context then the question, whichever exists', () => {
    expect(indicationOf({ clinicalIndication: 'Chute, TC, AVK.', clinicalQuestion: 'Hématome ?' })).toBe('Chute, TC, AVK.\nHématome ?');
    expect(indicationOf({ clinicalIndication: '  ', clinicalQuestion: 'Hématome ?' })).toBe('Hématome ?');
    expect(indicationOf({ clinicalIndication: null, clinicalQuestion: null })).toBeNull();
  });
});
