import { describe, expect, it } from 'vitest';
import { MAX_FRAMES_PER_INSTANCE, MIN_VOLUME_SLICES, compareUids, seriesFrom } from '../../core/seriesOrder.js';

type Attrs = {
  sop?: string;
  series?: string;
  seriesNumber?: number | string;
  instanceNumber?: number | string;
  modality?: string;
  position?: (number | string)[];
  orientation?: (number | string)[];
  frames?: number | string;
  rows?: number;
  columns?: number;
  seriesDate?: string;
  seriesTime?: string;
  description?: string;
  frameOfReference?: string;
};

/** An instance as WADO-RS /metadata gives it (PS3.18 F.2). */
function instance(a: Attrs): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  const put = (tag: string, vr: string, value: unknown) => {
    if (value !== undefined) meta[tag] = { vr, Value: Array.isArray(value) ? value : [value] };
  };
  put('00080018', 'UI', a.sop);
  put('0020000E', 'UI', a.series ?? '1.2.3');
  put('00200011', 'IS', a.seriesNumber);
  put('00200013', 'IS', a.instanceNumber);
  put('00080060', 'CS', a.modality ?? 'CT');
  put('00200032', 'DS', a.position);
  put('00200037', 'DS', a.orientation);
  put('00280008', 'IS', a.frames);
  put('00280010', 'US', a.rows ?? 512);
  put('00280011', 'US', a.columns ?? 512);
  put('00080021', 'DA', a.seriesDate);
  put('00080031', 'TM', a.seriesTime);
  put('0008103E', 'LO', a.description);
  put('00200052', 'UI', a.frameOfReference);
  return meta;
}

const AXIAL = [1, 0, 0, 0, 1, 0];

/** An axial stack: z from 0 up by `spacing`, instance numbers deliberately unrelated to position. */
function axialStack(count: number, spacing = 1.25, extra: Partial<Attrs> = {}): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    instance({ sop: `1.2.3.${i + 1}`, instanceNumber: (i * 7) % count, position: [-250, -250, i * spacing], orientation: AXIAL, seriesNumber: 2, frameOfReference: '1.2.9', ...extra }),
  );
}

describe('seriesFrom: instance order', () => {
  it('sorts by position along the slice normal, head first as Cornerstone does, when every instance has geometry', () => {
    const [series] = seriesFrom(axialStack(5).reverse().slice(0, 3).concat(axialStack(5).slice(0, 2)));
    expect(series?.instances.map((i) => i.sopInstanceUid)).toEqual(['1.2.3.5', '1.2.3.4', '1.2.3.3', '1.2.3.2', '1.2.3.1']);
  });

  it('projects on the normal of an oblique orientation, not on z', () => {
    // Sagittal: rows along y, columns along -z, normal along x (cross product (0,1,0) × (0,0,-1) = (-1,0,0)).
    const sagittal = [0, 1, 0, 0, 0, -1];
    const metas = [3, 1, 2].map((x) => instance({ sop: `9.${x}`, position: [x * 2, 100 - x, 5 * x], orientation: sagittal, instanceNumber: 1 }));
    expect(seriesFrom(metas)[0]?.instances.map((i) => i.sopInstanceUid)).toEqual(['9.1', '9.2', '9.3']);
  });

  it('falls back to InstanceNumber (numbers or strings, missing last) when one instance lacks geometry', () => {
    const metas = [
      instance({ sop: '1.2.30', instanceNumber: '3', position: [0, 0, 0], orientation: AXIAL }),
      instance({ sop: '1.2.10', instanceNumber: 1, position: [0, 0, 9], orientation: AXIAL }),
      instance({ sop: '1.2.40' }),
      instance({ sop: '1.2.20', instanceNumber: 2 }),
    ];
    expect(seriesFrom(metas)[0]?.instances.map((i) => i.sopInstanceUid)).toEqual(['1.2.10', '1.2.20', '1.2.30', '1.2.40']);
  });

  it('falls back to InstanceNumber for a localiser in three planes', () => {
    const metas = [
      instance({ sop: '5.3', instanceNumber: 3, position: [0, 0, 0], orientation: AXIAL }),
      instance({ sop: '5.1', instanceNumber: 1, position: [0, 0, 50], orientation: [0, 1, 0, 0, 0, -1] }),
      instance({ sop: '5.2', instanceNumber: 2, position: [0, 0, 10], orientation: [1, 0, 0, 0, 0, -1] }),
    ];
    expect(seriesFrom(metas)[0]?.instances.map((i) => i.sopInstanceUid)).toEqual(['5.1', '5.2', '5.3']);
  });

  it('orders by SOPInstanceUID, numerically by component, when nothing else is known', () => {
    const metas = ['1.2.10', '1.2.9', '1.2.100'].map((sop) => instance({ sop }));
    expect(seriesFrom(metas)[0]?.instances.map((i) => i.sopInstanceUid)).toEqual(['1.2.9', '1.2.10', '1.2.100']);
    expect(compareUids('1.2', '1.2.1')).toBeLessThan(0);
    expect(compareUids('1.2.3', '1.2.3')).toBe(0);
  });

  it('expands a multi-frame instance into its frames, 1-based, keeping its metadata', () => {
    const cine = instance({ sop: '7.1', frames: '4', modality: 'US' });
    const [series] = seriesFrom([cine]);
    expect(series?.instances.map((i) => i.frameNumber)).toEqual([1, 2, 3, 4]);
    expect(series?.frameCount).toBe(4);
    expect(series?.instances[2]?.metadata).toBe(cine);
  });

  it('caps an absurd NumberOfFrames', () => {
    expect(seriesFrom([instance({ sop: '7.2', frames: 2 ** 31 })])[0]?.frameCount).toBe(MAX_FRAMES_PER_INSTANCE);
  });
});

describe('seriesFrom: series', () => {
  it('groups by series and orders by SeriesNumber, then date and time, missing ones last', () => {
    const metas = [
      instance({ sop: '1', series: 'S-none' }),
      instance({ sop: '2', series: 'S-3', seriesNumber: 3 }),
      instance({ sop: '3', series: 'S-1-late', seriesNumber: 1, seriesDate: '20260115', seriesTime: '101500' }),
      instance({ sop: '4', series: 'S-1-early', seriesNumber: '1', seriesDate: '20260115', seriesTime: '093000' }),
      instance({ sop: '5', series: 'S-3', seriesNumber: 3 }),
    ];
    const series = seriesFrom(metas);
    expect(series.map((s) => s.seriesInstanceUid)).toEqual(['S-1-early', 'S-1-late', 'S-3', 'S-none']);
    expect(series[2]?.frameCount).toBe(2);
    expect(series[3]?.seriesNumber).toBeNull();
  });

  it('summarises modality, description and frame of reference', () => {
    const [series] = seriesFrom(axialStack(3, 1, { description: 'Crâne sans injection  ' }));
    expect(series).toMatchObject({ seriesInstanceUid: '1.2.3', seriesNumber: 2, modality: 'CT', description: 'Crâne sans injection', frameOfReferenceUid: '1.2.9' });
  });
});

describe('seriesFrom: volume candidates', () => {
  it('takes an evenly spaced CT stack of at least MIN_VOLUME_SLICES slices', () => {
    expect(MIN_VOLUME_SLICES).toBe(20);
    expect(seriesFrom(axialStack(20))[0]?.isVolumeCandidate).toBe(true);
    expect(seriesFrom(axialStack(19))[0]?.isVolumeCandidate).toBe(false);
    expect(seriesFrom(axialStack(40, 3, { modality: 'MR' }))[0]?.isVolumeCandidate).toBe(true);
    expect(seriesFrom(axialStack(40, 3, { modality: 'CR' }))[0]?.isVolumeCandidate).toBe(false);
  });

  it('tolerates jitter within 10 % but not a missing slice or a duplicate position', () => {
    const jittered = axialStack(30).map((meta, i) => ({ ...meta, '00200032': { vr: 'DS', Value: [-250, -250, i * 1.25 + (i % 2) * 0.05] } }));
    expect(seriesFrom(jittered)[0]?.isVolumeCandidate).toBe(true);
    const gap = axialStack(31).filter((_, i) => i !== 15);
    expect(seriesFrom(gap)[0]?.isVolumeCandidate).toBe(false);
    const duplicate = axialStack(30);
    duplicate.push(instance({ sop: '1.2.3.99', position: [-250, -250, 0], orientation: AXIAL, seriesNumber: 2 }));
    expect(seriesFrom(duplicate)[0]?.isVolumeCandidate).toBe(false);
  });

  it('refuses mixed matrices, multi-frame instances and missing geometry', () => {
    const mixed = axialStack(25);
    mixed[3] = { ...mixed[3], '00280010': { vr: 'US', Value: [256] } };
    expect(seriesFrom(mixed)[0]?.isVolumeCandidate).toBe(false);
    expect(seriesFrom(axialStack(25, 1, { frames: 2 }))[0]?.isVolumeCandidate).toBe(false);
    const noGeometry = axialStack(25).map(({ '00200032': _drop, ...rest }) => rest);
    expect(seriesFrom(noGeometry)[0]?.isVolumeCandidate).toBe(false);
  });
});

describe('seriesFrom: hostile metadata', () => {
  it('never throws, and skips what has no SOPInstanceUID or comes twice', () => {
    const hostile: unknown[] = [
      null,
      42,
      'text',
      [],
      {},
      { '00080018': null },
      { '00080018': { vr: 'UI', Value: [12] } },
      { '00080018': { vr: 'UI', Value: '1.2' } },
      { '00080018': { vr: 'UI', Value: ['   '] } },
      { '00080018': { vr: 'UI', Value: ['ok.1'] }, '00200032': { Value: ['a', null, {}] }, '00200037': { Value: [0, 0, 0, 0, 0, 0] }, '00280008': { Value: [-5] }, '00200013': { Value: [1.5] } },
      { '00080018': { vr: 'UI', Value: ['ok.1'] } },
      { '00080018': { vr: 'UI', Value: ['ok.2'] }, '00200037': { Value: [0, 0, 0, 0, 0, 0] }, '00200032': { Value: [0, 0, 0] } },
      { '00080018': { vr: 'UI', Value: ['ok.3'] }, '00200037': { Value: [0, 0, 0, 0, 0, 0] }, '00200032': { Value: [0, 0, 1] } },
    ];
    const series = seriesFrom(hostile);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ seriesInstanceUid: '', seriesNumber: null, frameCount: 3, isVolumeCandidate: false });
    expect(series[0]?.instances.map((i) => i.sopInstanceUid)).toEqual(['ok.1', 'ok.2', 'ok.3']);
    expect(seriesFrom('not an array' as unknown as unknown[])).toEqual([]);
  });
});
