/**
 * DICOM bytes built by hand (Explicit VR Little Endian), to make the hostile
 * files that no library would write: deep nesting, lengths past the end,
 * illegal UIDs, pixel data shorter than its header says.
 */
import { encodePart10 } from '../../../hub/demo/writePart10.js';

const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

function tagBytes(group: number, element: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  return b;
}

/** One element; `declaredLength` overrides the length field (lies about the value's size). */
export function element(group: number, elementNumber: number, vr: string, value: Buffer | string, declaredLength?: number): Buffer {
  let bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (bytes.length % 2 === 1) bytes = Buffer.concat([bytes, Buffer.from(vr === 'UI' ? [0] : vr === 'OB' || vr === 'UN' ? [0] : [0x20])]);
  const length = declaredLength ?? bytes.length;
  if (LONG_LENGTH_VRS.has(vr)) {
    const head = Buffer.alloc(8);
    head.write(vr, 0, 'latin1');
    head.writeUInt32LE(length >>> 0, 4);
    return Buffer.concat([tagBytes(group, elementNumber), head, bytes]);
  }
  const head = Buffer.alloc(4);
  head.write(vr, 0, 'latin1');
  head.writeUInt16LE(length, 2);
  return Buffer.concat([tagBytes(group, elementNumber), head, bytes]);
}

export function us(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value, 0);
  return b;
}

/** Preamble, "DICM" and a file meta group naming `transferSyntax`, then `dataset`. */
export function part10(dataset: Buffer, transferSyntax = '1.2.840.10008.1.2.1', sopInstanceUid = '1.2.3.4'): Buffer {
  const metaElements = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    element(0x0002, 0x0003, 'UI', sopInstanceUid),
    element(0x0002, 0x0010, 'UI', transferSyntax),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaElements.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', groupLength), metaElements, dataset]);
}

/** The identifying elements every file needs, with UIDs that can be replaced. */
export function identity(uids: { study?: string; series?: string; sop?: string } = {}): Buffer {
  return Buffer.concat([
    element(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    element(0x0008, 0x0018, 'UI', uids.sop ?? '1.2.3.4'),
    element(0x0008, 0x0060, 'CS', 'OT'),
    element(0x0010, 0x0010, 'PN', 'HOSTILE^TEST'),
    element(0x0010, 0x0020, 'LO', 'H-1'),
    element(0x0020, 0x000d, 'UI', uids.study ?? '1.2.3'),
    element(0x0020, 0x000e, 'UI', uids.series ?? '1.2.3.1'),
  ]);
}

/**
 * `depth` sequences nested in each other, all with undefined lengths:
 * (0040,A730) SQ → item → (0040,A730) SQ → item → … then the delimiters.
 */
export function nestedSequences(depth: number): Buffer {
  const open = Buffer.concat([
    tagBytes(0x0040, 0xa730),
    Buffer.from('SQ\0\0', 'latin1'),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
    tagBytes(0xfffe, 0xe000),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
  ]);
  const close = Buffer.concat([tagBytes(0xfffe, 0xe00d), Buffer.alloc(4), tagBytes(0xfffe, 0xe0dd), Buffer.alloc(4)]);
  return Buffer.concat([...Array.from({ length: depth }, () => open), ...Array.from({ length: depth }, () => close)]);
}

/** Many tiny private elements (8 bytes each), in increasing tag order. */
export function manyTinyElements(count: number): Buffer {
  const out = Buffer.alloc(count * 8);
  let group = 0x0009;
  let elementNumber = 0x1000;
  for (let i = 0; i < count; i++) {
    out.writeUInt16LE(group, i * 8);
    out.writeUInt16LE(elementNumber, i * 8 + 2);
    out.write('LO', i * 8 + 4, 'latin1');
    out.writeUInt16LE(0, i * 8 + 6);
    elementNumber += 1;
    if (elementNumber > 0xffff) {
      elementNumber = 0x1000;
      group += 2;
    }
  }
  return out;
}

/** A small, valid 8-bit grey image (written by dcmjs like the demo studies). */
export function smallImage(options: { rows?: number; columns?: number; frames?: number; studyUid?: string; sopUid?: string } = {}): Buffer {
  const rows = options.rows ?? 4;
  const columns = options.columns ?? 6;
  const frames = options.frames ?? 1;
  const pixels = new Uint8Array(rows * columns * frames).map((_, i) => i % 251);
  return Buffer.from(
    encodePart10({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
      SOPInstanceUID: options.sopUid ?? '1.2.826.0.1.3680043.2.1125.1',
      StudyInstanceUID: options.studyUid ?? '1.2.826.0.1.3680043.2.1125.2',
      SeriesInstanceUID: '1.2.826.0.1.3680043.2.1125.3',
      Modality: 'OT',
      PatientName: 'TEST^SMALL',
      PatientID: 'S-1',
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: rows,
      Columns: columns,
      ...(frames > 1 ? { NumberOfFrames: String(frames) } : {}),
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      PixelData: [pixels.buffer],
      _vrMap: { PixelData: 'OB' },
    }),
  );
}
