import { createRequire } from 'node:module';

/**
 * The pieces of dcmjs 0.51 the PACS layer uses to read files and look up the
 * data dictionary. dcmjs ships no types; like hub/demo/loadDcmjs.ts, it is
 * loaded through createRequire and cast to this local interface.
 *
 * Never call `readFile` on the hub's main thread with bytes from outside:
 * crafted input can exhaust V8's heap and abort the process (PITFALLS
 * "Untrusted DICOM"). Only parseWorker.ts does.
 */

/** An element as dcmjs reads it: already close to the DICOM JSON model. */
export interface DcmjsElement {
  vr?: string;
  Value?: unknown;
  _rawValue?: unknown;
}

export type DcmjsDict = Record<string, DcmjsElement>;

export interface DcmjsDictionaryEntry {
  /** "(0010,0010)" */
  tag: string;
  vr: string;
  name: string;
}

export interface DcmjsReader {
  data: {
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: { ignoreErrors?: boolean; untilTag?: string | null; includeUntilTagValue?: boolean; noCopy?: boolean },
      ): { meta: DcmjsDict; dict: DcmjsDict };
    };
    DicomMetaDictionary: {
      nameMap: Record<string, DcmjsDictionaryEntry | undefined>;
      dictionary: Record<string, DcmjsDictionaryEntry | undefined>;
    };
  };
}

export const dcmjsReader = createRequire(import.meta.url)('dcmjs') as DcmjsReader;
