import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { teleFile } from '../teleFileFixture.js';

// The opening's pure-page pieces (no Cornerstone): which study a listed tele-file holds,
// the shared metadata fetch and the hub's first-frame header, the frame URLs.
const ORIGIN = 'http://hub.test';
const STUDY = '1.2.826.0.1.3680043.8.498.7';

function metadataAnswer(firstFrame: string | null, status = 200): Response {
  const headers = new Headers({ 'content-type': 'application/dicom+json' });
  if (firstFrame !== null) headers.set('x-vigie-first-frame', firstFrame);
  return new Response(status === 200 ? JSON.stringify([{ '00080018': { vr: 'UI', Value: [`${STUDY}.1`] } }]) : JSON.stringify({ error: { code: 'service-unavailable', message: 'PACS down' } }), { status, headers });
}

describe('the opening of a study, before the viewer runs', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubGlobal('location', { origin: ORIGIN });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('studyHints: the worklist says which study a tele-file holds (files without images are not listed)', async () => {
    const { rememberStudies, listedTeleFile } = await import('../../../renderer/viewer/studyHints.js');
    const withImages = teleFile({ studyInstanceUid: STUDY });
    const announced = teleFile({ studyInstanceUid: null });
    rememberStudies([withImages, announced]);
    expect(listedTeleFile(withImages.id)).toBe(withImages);
    expect(listedTeleFile(withImages.id)?.studyInstanceUid).toBe(STUDY);
    expect(listedTeleFile(announced.id)).toBeNull();
    expect(listedTeleFile('unknown')).toBeNull();
  });

  it('studyMetadata: one fetch for every caller, the first frame named from the headers, a failure not kept', async () => {
    const fetch = vi.fn(async () => metadataAnswer(`/dicom-web/studies/${STUDY}/series/9/instances/${STUDY}.1/frames/1`));
    vi.stubGlobal('fetch', fetch);
    const { studyMetadata, firstFramePath, seriesOfMetadata } = await import('../../../renderer/viewer/studyMetadata.js');
    const [a, b, path] = await Promise.all([studyMetadata(STUDY), studyMetadata(STUDY), firstFramePath(STUDY)]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
    expect(path).toBe(`/dicom-web/studies/${STUDY}/series/9/instances/${STUDY}.1/frames/1`);
    expect(seriesOfMetadata(a)).toBe(seriesOfMetadata(a));

    fetch.mockImplementation(async () => metadataAnswer(null, 503));
    const [failed, unnamed] = await Promise.allSettled([studyMetadata('1.2.3'), firstFramePath('1.2.3')]);
    expect(failed.status).toBe('rejected');
    expect(unnamed).toEqual({ status: 'fulfilled', value: null });
    fetch.mockImplementation(async () => metadataAnswer(null));
    await expect(studyMetadata('1.2.3')).resolves.toHaveLength(1);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('studyMetadata: a header naming anything but a DICOMweb study path is ignored; old answers are asked again', async () => {
    const fetch = vi.fn(async () => metadataAnswer('https://elsewhere.example/steal'));
    vi.stubGlobal('fetch', fetch);
    const { studyMetadata, firstFramePath } = await import('../../../renderer/viewer/studyMetadata.js');
    let now = 1_000;
    await studyMetadata(STUDY, () => now);
    expect(await firstFramePath(STUDY)).toBeNull();
    now += 11 * 60_000;
    await studyMetadata(STUDY, () => now);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('frame URLs: on the hub, every UID encoded, and the image id is the same URL in the wadors: scheme', async () => {
    const { frameUrlOf } = await import('../../../renderer/viewer/frameUrls.js');
    expect(frameUrlOf(STUDY, '1.2.3', { sopInstanceUid: '4.5/../6', frameNumber: 2 })).toBe(`${ORIGIN}/dicom-web/studies/${STUDY}/series/1.2.3/instances/4.5%2F..%2F6/frames/2`);
  });
});
