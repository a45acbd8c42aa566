import type { NaturalDataset } from './dcmjs.js';
import { commonAttributes } from './commonAttributes.js';
import { DEMO_PATIENTS } from './demoPatients.js';
import { addMinutes } from './dicomValues.js';
import type { DemoStudyPlan } from './plan.js';
import { SeededRandom } from './seededRandom.js';
import { demoStudyIdentity } from './studyIdentity.js';
import { demoUid } from './uid.js';

export const US_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.6.1';
export const ULTRASOUND_IMAGES = 3;

const WIDTH = 640;
const HEIGHT = 480;
/** Probe apex (pixels) and the sector: half-opening tan ≈ 0.7 (35°), depth 30–450 px. */
const APEX = { x: 320, y: 20 };
const TAN_HALF_ANGLE = 0.7;
const R_MIN = 30;
const R_MAX = 450;

/**
 * A B-mode sector of the right upper quadrant: liver speckle, an anechoic
 * gallbladder with posterior enhancement, the bright diaphragm line, depth
 * attenuation. `frame` moves the gallbladder a little, as a sweep would.
 */
export function renderUltrasoundFrame(rng: SeededRandom, frame: number): Uint8Array {
  const raw = new Float32Array(WIDTH * HEIGHT);
  const gb = { x: 300 + frame * 14, y: 210 - frame * 6, ax: 70, ay: 38 };
  for (let r = 0; r < HEIGHT; r++) {
    const dy = r - APEX.y;
    for (let c = 0; c < WIDTH; c++) {
      const dx = c - APEX.x;
      const depth = Math.sqrt(dx * dx + dy * dy);
      const speckle = rng.next();
      if (dy <= 0 || Math.abs(dx) > dy * TAN_HALF_ANGLE || depth < R_MIN || depth > R_MAX) continue;
      let echo = 95;
      const gx = (c - gb.x) / gb.ax;
      const gy = (r - gb.y) / gb.ay;
      const inGallbladder = gx * gx + gy * gy < 1;
      if (inGallbladder) echo = 4;
      else if (r > gb.y && Math.abs(c - gb.x) < gb.ax * 0.8) echo = 130;
      if (depth > 380 && depth < 392) echo = 235;
      // Rayleigh-like speckle, then a depth gain curve that does not quite compensate attenuation.
      const gain = 1.15 - depth / 900;
      raw[r * WIDTH + c] = echo * (inGallbladder ? 1 : 0.35 + 1.3 * speckle) * gain;
    }
  }
  // Lateral smoothing: speckle is elongated across the beam.
  const out = new Uint8Array(WIDTH * HEIGHT);
  for (let r = 0; r < HEIGHT; r++) {
    for (let c = 2; c < WIDTH - 2; c++) {
      const i = r * WIDTH + c;
      const v = Math.round(((raw[i - 2] as number) + 2 * (raw[i - 1] as number) + 2 * (raw[i] as number) + 2 * (raw[i + 1] as number) + (raw[i + 2] as number)) / 8);
      out[i] = v > 255 ? 255 : v;
    }
  }
  return out;
}

/** Study 4: abdominal ultrasound, a few single-frame B-mode images. */
export function planUltrasound(seed: number, index: number): DemoStudyPlan {
  const identity = demoStudyIdentity(seed, index, DEMO_PATIENTS.ultrasound, 'ECHOGRAPHIE ABDOMINALE', 'US');
  const role = `study/${index}/series/1`;
  const series = {
    seriesInstanceUid: demoUid(seed, role),
    seriesNumber: 1,
    description: 'ABDOMEN HYPOCHONDRE DROIT',
    start: addMinutes(identity.start, 1),
  };
  const instances = Array.from({ length: ULTRASOUND_IMAGES }, (_, i) => {
    const sopInstanceUid = demoUid(seed, `${role}/instance/${i}`);
    const build = (): NaturalDataset => {
      const pixels = renderUltrasoundFrame(new SeededRandom(seed, `${role}/noise/${i}`), i);
      const content = addMinutes(series.start, i);
      return {
        ...commonAttributes(identity, series, { sopClassUid: US_IMAGE_STORAGE, sopInstanceUid, instanceNumber: i + 1 }),
        ContentDate: content.date,
        ContentTime: content.time,
        ImageType: ['ORIGINAL', 'PRIMARY', 'ABDOMINAL', '0001'],
        BodyPartExamined: 'ABDOMEN',
        PatientOrientation: '',
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        Rows: HEIGHT,
        Columns: WIDTH,
        BitsAllocated: 8,
        BitsStored: 8,
        HighBit: 7,
        PixelRepresentation: 0,
        PixelData: [pixels.buffer],
        _vrMap: { PixelData: 'OB' },
      };
    };
    return { sopInstanceUid, build };
  });
  return { identity, series: [{ seriesInstanceUid: series.seriesInstanceUid, instances }] };
}
