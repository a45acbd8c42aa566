import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_INSPECT_LIMITS,
  classifyParseError,
  inspectDicomBytes,
  nativeFrameFromRange,
  nativeFrameRange,
  thrownMessage,
} from '../../../hub/pacs/dicomInspection.js';
import { DicomInspector } from '../../../hub/pacs/untrustedDicom.js';
import { runCommand } from '../../harness/processes.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { part10, smallImage } from './dicomBytes.js';

describe('parser errors', () => {
  it('gets a message out of whatever dicom-parser throws', () => {
    expect(thrownMessage('dicomParser.readFixedString: attempt to read past end of buffer')).toBe('dicomParser.readFixedString: attempt to read past end of buffer');
    expect(thrownMessage({ exception: 'dicomParser:parseDicomDataSetExplicit: buffer overrun', dataSet: {} })).toBe(
      'dicomParser:parseDicomDataSetExplicit: buffer overrun',
    );
    expect(thrownMessage(new Error('boom'))).toBe('boom');
    expect(thrownMessage(42)).toBe('42');
    expect(classifyParseError({ exception: 'buffer overrun' }, 'dicom-parser').code).toBe('truncated');
    expect(classifyParseError({ exception: new RangeError('Maximum call stack size exceeded') }, 'dcmjs').code).toBe('nesting-too-deep');
    expect(classifyParseError('something odd', 'dcmjs').code).toBe('malformed');
  });
});

describe('native frames', () => {
  it('cuts 1-bit frames that do not start on a byte boundary', () => {
    // 3 frames of 3 × 3 one-bit pixels = 27 bits, packed LSB first across frames.
    const bits = [1, 0, 1, 1, 0, 0, 1, 1, 1, /* frame 2 */ 0, 1, 0, 0, 1, 1, 0, 0, 1, /* frame 3 */ 1, 1, 1, 0, 0, 0, 1, 0, 1];
    const packed = Buffer.alloc(4);
    bits.forEach((bit, i) => {
      packed[i >> 3] = (packed[i >> 3] as number) | (bit << (i % 8));
    });
    const layout = { kind: 'native' as const, offset: 0, frameBits: 9 };
    for (let frame = 0; frame < 3; frame++) {
      const range = nativeFrameRange(layout, frame);
      const out = nativeFrameFromRange(packed.subarray(range.start, range.end), range.shift, range.length);
      const unpacked = Array.from({ length: 9 }, (_, i) => ((out[i >> 3] as number) >> (i % 8)) & 1);
      expect(unpacked).toEqual(bits.slice(frame * 9, frame * 9 + 9));
    }
  });
});

describe('deflated files', () => {
  let dir: string;
  let inspector: DicomInspector;

  beforeAll(async () => {
    dir = await makeTempDir('pacs-deflate');
    inspector = new DicomInspector();
  });

  afterAll(async () => {
    await inspector.close();
    await removeTempDir(dir);
  });

  it('reads a deflated file (dcmconv +td) and cuts its frames after inflation', async () => {
    const plain = join(dir, 'plain.dcm');
    const deflated = join(dir, 'deflated.dcm');
    await writeFile(plain, smallImage({ frames: 2 }));
    await runCommand('dcmconv', ['+td', plain, deflated]);
    const result = await inspector.inspectFile(deflated, 'full');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
    expect(result.value.deflated).toBe(true);
    expect(result.value.dataset['00100010']?.Value).toEqual([{ Alphabetic: 'TEST^SMALL' }]);
    const frames = await inspector.extractFrames(deflated, [2]);
    if (!frames.ok) throw new Error(frames.error.message);
    expect([...(frames.value[0] ?? [])]).toEqual(Array.from({ length: 24 }, (_, i) => (24 + i) % 251));
    expect((await readFile(deflated)).length).toBeLessThan((await readFile(plain)).length);
  });

  it('refuses a small deflated file that would inflate past the limit', () => {
    const bomb = part10(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)), '1.2.840.10008.1.2.1.99');
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(() => inspectDicomBytes(bomb, 'summary', { ...DEFAULT_INSPECT_LIMITS, maxInflatedBytes: 8 * 1024 * 1024 })).toThrow(
      'the deflated dataset inflates to more than 8388608 bytes',
    );
  });
});
