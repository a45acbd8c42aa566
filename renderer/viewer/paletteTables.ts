/**
 * Cornerstone's WADO-RS metadata provider reads a PALETTE COLOR image's
 * Red, Green and Blue Palette Color Lookup Table Data (0028,1201–1203) only
 * as a list of numbers (`Value`), which DICOM JSON never gives for OW
 * values: they come as InlineBinary (the hub puts them inline, and the
 * folder PACS writes them so) or as a BulkDataURI. Without them such an
 * image never loads. The viewer's copy of an instance's metadata gets each
 * inline table as its entries, read per its descriptor (0028,1101–1103:
 * entries, first value mapped, bits per entry); nothing else changes.
 */
const DESCRIPTOR_OF: Readonly<Record<string, string>> = { '00281201': '00281101', '00281202': '00281102', '00281203': '00281103' };

interface JsonAttribute {
  vr?: string;
  Value?: unknown[];
  InlineBinary?: string;
}

export function withPaletteValues(metadata: Record<string, unknown>): Record<string, unknown> {
  let out = metadata;
  for (const [dataTag, descriptorTag] of Object.entries(DESCRIPTOR_OF)) {
    const attribute = metadata[dataTag] as JsonAttribute | undefined;
    if (!attribute || Array.isArray(attribute.Value) || typeof attribute.InlineBinary !== 'string') continue;
    const values = paletteEntries(attribute.InlineBinary, (metadata[descriptorTag] as JsonAttribute | undefined)?.Value);
    if (values) out = { ...out, [dataTag]: { vr: attribute.vr ?? 'OW', Value: values } };
  }
  return out;
}

/**
 * A table's entries from its bytes: 16-bit little-endian words, or one byte
 * per entry when the descriptor says 8 bits and the bytes are exactly that
 * many. Null when the descriptor is missing or the bytes are too few (the
 * image then stays without its palette and the viewer says so).
 */
export function paletteEntries(base64: string, descriptor: unknown[] | undefined): number[] | null {
  if (!descriptor || descriptor.length < 3) return null;
  // PS3.3 C.7.6.3.1.5: 0 entries means 65 536.
  const entries = Number(descriptor[0]) || 65_536;
  const bits = Number(descriptor[2]);
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  } catch {
    return null;
  }
  if (bits === 8 && bytes.length === entries) return Array.from(bytes);
  if (bytes.length < entries * 2) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: entries }, (_, index) => view.getUint16(index * 2, true));
}
