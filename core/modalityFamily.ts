// Coverage is organised per modality family, not per DICOM Modality: the ANAP
// organisations distinguish cross-sectional imaging (CT/MR, installed where
// there is short-stay activity) from conventional radiography, and exclude
// ultrasound, which needs the radiologist's hand on the probe.
import { z } from 'zod';
import type { Localized } from './errors.js';
import { missingCase } from './errors.js';

export const MODALITY_FAMILIES = ['cross-sectional', 'conventional', 'ultrasound', 'other'] as const;
export const ModalityFamily = z.enum(MODALITY_FAMILIES);
export type ModalityFamily = z.infer<typeof ModalityFamily>;

// PS3.3 C.7.3.1.1.1 Modality defined terms.
const CROSS_SECTIONAL = new Set(['CT', 'MR']);
/** X-ray projection imaging read as "radiographie conventionnelle". */
const CONVENTIONAL = new Set(['CR', 'DX', 'RG', 'MG', 'RF', 'PX', 'IO']);
const ULTRASOUND = new Set(['US', 'IVUS']);
/**
 * Objects that accompany images without being an examination of their own
 * (reports, key images, presentation states, registrations, segmentations):
 * they never decide the family of a study.
 */
const ANCILLARY = new Set(['SR', 'KO', 'PR', 'DOC', 'REG', 'SEG', 'FID', 'AU', 'ECG', 'RWV']);

/** Family of one DICOM Modality value; unknown values are 'other'. XA, PT, NM are 'other': not read on call remotely. */
export function modalityFamily(modality: string): ModalityFamily {
  const m = modality.trim().toUpperCase();
  if (CROSS_SECTIONAL.has(m)) return 'cross-sectional';
  if (CONVENTIONAL.has(m)) return 'conventional';
  if (ULTRASOUND.has(m)) return 'ultrasound';
  return 'other';
}

export function isAncillaryModality(modality: string): boolean {
  return ANCILLARY.has(modality.trim().toUpperCase());
}

/**
 * The imaging modalities of a study (ModalitiesInStudy, 0008,0061), without
 * ancillary objects, upper-cased and deduplicated in order.
 */
export function imagingModalities(modalitiesInStudy: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of modalitiesInStudy) {
    const m = raw.trim().toUpperCase();
    if (m && !ANCILLARY.has(m) && !out.includes(m)) out.push(m);
  }
  return out;
}

/**
 * Family of a whole study: the most demanding family present. A CT with a
 * scout radiograph is cross-sectional; an ultrasound with secondary captures
 * (OT) stays ultrasound, so it is refused rather than routed as 'other';
 * a study with conventional images and ultrasound goes as conventional,
 * because its radiographs can be read remotely. No imaging modality: 'other'.
 */
export function studyModalityFamily(modalitiesInStudy: readonly string[]): ModalityFamily {
  let best: ModalityFamily = 'other';
  for (const m of imagingModalities(modalitiesInStudy)) {
    const family = modalityFamily(m);
    if (rank(family) > rank(best)) best = family;
  }
  return best;
}

function rank(family: ModalityFamily): number {
  switch (family) {
    case 'cross-sectional':
      return 3;
    case 'conventional':
      return 2;
    case 'ultrasound':
      return 1;
    case 'other':
      return 0;
    default:
      return missingCase(family);
  }
}

export function modalityFamilyLabel(family: ModalityFamily): Localized {
  switch (family) {
    case 'cross-sectional':
      return { fr: 'scanner/IRM', en: 'CT/MR' };
    case 'conventional':
      return { fr: 'radiographie conventionnelle', en: 'conventional radiography' };
    case 'ultrasound':
      return { fr: 'échographie', en: 'ultrasound' };
    case 'other':
      return { fr: 'autre modalité', en: 'other modality' };
    default:
      return missingCase(family);
  }
}
