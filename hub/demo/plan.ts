import type { NaturalDataset } from './dcmjs.js';
import type { DemoPatient } from './demoPatients.js';
import type { DicomDateTime } from './dicomValues.js';

/**
 * What a demo study will contain, known without rendering a pixel: the UIDs
 * (for the cheap "already there?" check) and a builder per instance (so only
 * missing files are rendered).
 */
export interface DemoInstancePlan {
  sopInstanceUid: string;
  build(): NaturalDataset;
}

export interface DemoSeriesPlan {
  seriesInstanceUid: string;
  instances: readonly DemoInstancePlan[];
}

export interface DemoStudyIdentity {
  patient: DemoPatient;
  studyInstanceUid: string;
  accessionNumber: string;
  studyId: string;
  description: string;
  modality: string;
  start: DicomDateTime;
}

/** Where the head CT haematoma is, in pixel and slice terms, for tests and viewer checks. */
export interface HeadCtLesionLocation {
  /** 1-based InstanceNumber of the first and last slices that cut the haematoma (contiguous). */
  firstInstanceNumber: number;
  lastInstanceNumber: number;
  /** The slice closest to the haematoma's centre. */
  centreInstanceNumber: number;
  /** Pixel (0-based column, row) of the centre, the same on every slice. */
  centreColumn: number;
  centreRow: number;
  /** Patient coordinates (LPS, mm) of the centre. */
  centreMm: readonly [number, number, number];
  radiusMm: number;
  radiusPixels: number;
  /** Nominal attenuation before noise. */
  hu: number;
}

export interface DemoStudyPlan {
  identity: DemoStudyIdentity;
  series: readonly DemoSeriesPlan[];
  lesion?: HeadCtLesionLocation;
}
