/**
 * Transfer syntaxes as the PACS layer sees them: which are native (frames are
 * slices of the pixel data), and which media type names an encapsulated
 * frame in a WADO-RS multipart answer (PS3.18 Table 8.7.3-2; Orthanc uses
 * the same names).
 */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';

const NATIVE = new Set([IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN]);

export function isNative(transferSyntaxUid: string): boolean {
  return NATIVE.has(transferSyntaxUid);
}

const MEDIA_TYPES: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'image/jpeg',
  '1.2.840.10008.1.2.4.51': 'image/jpeg',
  '1.2.840.10008.1.2.4.57': 'image/jpeg',
  '1.2.840.10008.1.2.4.70': 'image/jpeg',
  '1.2.840.10008.1.2.4.80': 'image/jls',
  '1.2.840.10008.1.2.4.81': 'image/jls',
  '1.2.840.10008.1.2.4.90': 'image/jp2',
  '1.2.840.10008.1.2.4.91': 'image/jp2',
  '1.2.840.10008.1.2.4.92': 'image/jpx',
  '1.2.840.10008.1.2.4.93': 'image/jpx',
  '1.2.840.10008.1.2.4.201': 'image/jphc',
  '1.2.840.10008.1.2.4.202': 'image/jphc',
  '1.2.840.10008.1.2.4.203': 'image/jphc',
  '1.2.840.10008.1.2.5': 'image/dicom-rle',
};

/** The media type of one frame in this transfer syntax (application/octet-stream for native and unknown ones). */
export function frameMediaType(transferSyntaxUid: string): string {
  return MEDIA_TYPES[transferSyntaxUid] ?? 'application/octet-stream';
}

/**
 * The syntax that native frames are in once extracted: a deflated file's
 * pixel data is explicit little endian after inflation; the others as stored.
 */
export function frameTransferSyntax(transferSyntaxUid: string): string {
  return transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ? EXPLICIT_VR_LITTLE_ENDIAN : transferSyntaxUid;
}
