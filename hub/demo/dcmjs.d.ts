/**
 * The few pieces of dcmjs 0.51 the demo generator uses. dcmjs ships no types.
 *
 * This is a module (not an ambient `declare module 'dcmjs'`): an ambient file
 * is only seen by a tsconfig that includes it, and the root tsconfig (tests)
 * reaches hub code through imports alone. loadDcmjs.ts loads the package at
 * run time and casts it to `Dcmjs`.
 */

/** A dataset keyed by DICOM keyword (dcmjs "naturalized" form). */
export type NaturalDataset = { [keyword: string]: unknown };

/** A dataset keyed by 8-hex-digit tag, as in the DICOM JSON model. */
export type DenaturalizedDataset = { [tag: string]: { vr: string; Value?: unknown[] } };

export interface DicomDictInstance {
  meta: DenaturalizedDataset;
  dict: DenaturalizedDataset;
  write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
}

export interface Dcmjs {
  data: {
    DicomDict: new (meta: DenaturalizedDataset) => DicomDictInstance;
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
      naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
    };
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): { meta: DenaturalizedDataset; dict: DenaturalizedDataset };
    };
  };
}
