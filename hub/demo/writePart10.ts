import type { NaturalDataset } from './dcmjs.js';
import { dcmjs } from './loadDcmjs.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './uid.js';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * Encodes a naturalized dataset as a DICOM Part-10 file in Explicit VR Little
 * Endian. The File Meta is derived from the dataset's own SOP Class and
 * Instance UIDs so the two can never disagree.
 */
export function encodePart10(dataset: NaturalDataset): Uint8Array {
  const sopClassUid = dataset['SOPClassUID'];
  const sopInstanceUid = dataset['SOPInstanceUID'];
  if (typeof sopClassUid !== 'string' || typeof sopInstanceUid !== 'string') {
    throw new Error('dataset needs SOPClassUID and SOPInstanceUID');
  }
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  });
  const dict = new DicomDict(meta);
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
