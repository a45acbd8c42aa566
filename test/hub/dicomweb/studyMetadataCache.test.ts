import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StudyMetadataCache } from '../../../hub/dicomweb/studyMetadataCache.js';
import { etagOf } from '../../../hub/dicomweb/responses.js';
import type { DicomJsonDataset } from '../../../hub/pacs/dicomJson.js';
import type { PacsAdapter } from '../../../hub/pacs/pacsAdapter.js';

const STUDY = '1.2.826.0.1.3680043.8.498.1';

/** A PACS double: the metadata and the QIDO count it answers, and how often it was asked. */
function pacsDouble(instances: number) {
  // The fingerprint follows the content, as Orthanc's LastUpdate does: `version` moves with every store.
  const state = { instances, version: 1, metadataCalls: 0, fingerprintCalls: 0, failMetadata: false, failFrames: false, fingerprinted: true, frameCalls: [] as string[] };
  // Listed last-to-first: the viewer's reading order (InstanceNumber here), not the PACS's listing order, decides the first image.
  const dataset = (n: number): DicomJsonDataset => ({
    '00080018': { vr: 'UI', Value: [`${STUDY}.${n}`] },
    '0020000D': { vr: 'UI', Value: [STUDY] },
    '0020000E': { vr: 'UI', Value: [`${STUDY}.100`] },
    '00200013': { vr: 'IS', Value: [n] },
    '00280010': { vr: 'US', Value: [2] },
    '00280011': { vr: 'US', Value: [2] },
  });
  const pacs = {
    studyMetadata: async (uid: string) => {
      state.metadataCalls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (state.failMetadata) throw new Error('PACS down');
      expect(uid).toBe(STUDY);
      return Array.from({ length: state.instances }, (_, n) => dataset(state.instances - n));
    },
    frames: async (study: string, series: string, sop: string, numbers: readonly number[]) => {
      state.frameCalls.push(`${sop}/${numbers.join(',')}`);
      if (state.failFrames) throw new Error('PACS busy');
      return { contentType: 'multipart/related; type="application/octet-stream"; boundary=b', partContentType: 'application/octet-stream', transferSyntaxUid: '1.2.840.10008.1.2.1', body: Readable.from([Buffer.from(`frame of ${sop}`)]) };
    },
    studyFingerprint: async (uid: string) => {
      state.fingerprintCalls += 1;
      expect(uid).toBe(STUDY);
      return state.fingerprinted ? `v${state.version}` : null;
    },
  } as unknown as PacsAdapter;
  return { pacs, state };
}

describe('StudyMetadataCache: metadata prepared ahead, never stale', () => {
  it('prepares once and answers the same gzip, ETag and JSON while the PACS says the study has not changed', async () => {
    const { pacs, state } = pacsDouble(3);
    const cache = new StudyMetadataCache(() => pacs);
    cache.warm(STUDY);
    const first = await cache.metadata(STUDY);
    const second = await cache.metadata(STUDY);
    expect(state.metadataCalls).toBe(1);
    expect(second).toBe(first);
    expect(first.instances).toBe(3);
    const text = await StudyMetadataCache.text(first);
    expect(JSON.parse(text)).toHaveLength(3);
    expect(first.etag).toBe(etagOf(text));
  });

  it('an opening\'s metadata and first frame, asked together, share one fingerprint call; the next request asks again', async () => {
    const { pacs, state } = pacsDouble(3);
    const cache = new StudyMetadataCache(() => pacs);
    await cache.metadata(STUDY);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = state.fingerprintCalls;
    const [metadata, frame] = await Promise.all([cache.metadata(STUDY), cache.firstFrame(STUDY, `${STUDY}.100`, `${STUDY}.1`, [1])]);
    expect(state.fingerprintCalls - before).toBe(1);
    expect(metadata.fingerprint).toBe('v1');
    expect(frame?.body.toString()).toBe(`frame of ${STUDY}.1`);
    // Nothing kept past the call: a store after it is seen by the next request.
    state.version += 1;
    expect(await cache.firstFrame(STUDY, `${STUDY}.100`, `${STUDY}.1`, [1])).toBeNull();
    expect(state.fingerprintCalls - before).toBe(2);
  });

  it('prepares again when the study changed at the PACS (a late series is shown, not lost)', async () => {
    const { pacs, state } = pacsDouble(3);
    const cache = new StudyMetadataCache(() => pacs);
    const before = await cache.metadata(STUDY);
    state.instances = 5;
    state.version += 1;
    const after = await cache.metadata(STUDY);
    expect(state.metadataCalls).toBe(2);
    expect(after.instances).toBe(5);
    expect(after.etag).not.toBe(before.etag);
  });

  it('keeps nothing for a PACS without a fingerprint: the metadata asked each time, no first frame kept', async () => {
    const { pacs, state } = pacsDouble(2);
    state.fingerprinted = false;
    const cache = new StudyMetadataCache(() => pacs);
    await cache.metadata(STUDY);
    await cache.metadata(STUDY);
    expect(state.metadataCalls).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(state.frameCalls).toEqual([]);
    expect(cache.firstFramePathOf(STUDY)).toBeNull();
  });

  it('concurrent requests share one PACS call; a failure is answered and not kept', async () => {
    const { pacs, state } = pacsDouble(4);
    const cache = new StudyMetadataCache(() => pacs);
    state.failMetadata = true;
    await expect(Promise.all([cache.metadata(STUDY), cache.metadata(STUDY)])).rejects.toThrow('PACS down');
    expect(state.metadataCalls).toBe(1);
    state.failMetadata = false;
    const [a, b] = await Promise.all([cache.metadata(STUDY), cache.metadata(STUDY)]);
    expect(a).toBe(b);
    expect(state.metadataCalls).toBe(2);
  });

  it('keeps the frame the viewer opens on (first image of the first series, in reading order) and answers it for that request only', async () => {
    const { pacs, state } = pacsDouble(3);
    const cache = new StudyMetadataCache(() => pacs);
    const prepared = await cache.metadata(STUDY);
    // Named for the page, which asks for it before parsing the metadata.
    expect(prepared.firstFramePath).toBe(`/dicom-web/studies/${STUDY}/series/${STUDY}.100/instances/${STUDY}.1/frames/1`);
    await expect.poll(() => cache.firstFramePathOf(STUDY)).toBe(prepared.firstFramePath);
    expect(state.frameCalls).toEqual([`${STUDY}.1/1`]);
    expect((await cache.firstFrame(STUDY, `${STUDY}.100`, `${STUDY}.1`, [1]))?.body.toString()).toBe(`frame of ${STUDY}.1`);
    expect(await cache.firstFrame(STUDY, `${STUDY}.100`, `${STUDY}.2`, [1])).toBeNull();
    expect(await cache.firstFrame(STUDY, `${STUDY}.100`, `${STUDY}.1`, [1, 2])).toBeNull();
    expect(await cache.firstFrame(STUDY, `${STUDY}.101`, `${STUDY}.1`, [1])).toBeNull();
    expect(await cache.firstFrame('9.9.9', `${STUDY}.100`, `${STUDY}.1`, [1])).toBeNull();
    // The study stored again (same UIDs, other content): the kept frame is never served again.
    state.version += 1;
    expect(await cache.firstFrame(STUDY, `${STUDY}.100`, `${STUDY}.1`, [1])).toBeNull();
    expect(cache.firstFramePathOf(STUDY)).toBeNull();
    // Prepared again: read again, under the new fingerprint.
    await cache.metadata(STUDY);
    await expect.poll(() => state.frameCalls.length).toBe(2);
  });

  it('a first frame the PACS could not send when the study was prepared is read at the next use or claim', async () => {
    const { pacs, state } = pacsDouble(2);
    const cache = new StudyMetadataCache(() => pacs);
    state.failFrames = true;
    await cache.metadata(STUDY);
    await expect.poll(() => state.frameCalls.length).toBe(1);
    expect(cache.firstFramePathOf(STUDY)).toBeNull();
    state.failFrames = false;
    cache.warm(STUDY);
    await expect.poll(() => cache.firstFramePathOf(STUDY)).not.toBeNull();
    expect(state.metadataCalls).toBe(1);
  });

  it('without a PACS, a request fails and a warm-up does nothing', async () => {
    const cache = new StudyMetadataCache(() => null);
    cache.warm(STUDY);
    await expect(cache.metadata(STUDY)).rejects.toThrow(/no pivot PACS/);
  });
});
