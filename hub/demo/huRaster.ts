import type { SeededRandom } from './seededRandom.js';

/**
 * An axial slice being painted in Hounsfield units, shapes drawn back to
 * front (painter's algorithm). Pixel (column c, row r) sits at patient
 * x = originX + c·spacing, y = originY + r·spacing (LPS, axial orientation
 * [1,0,0, 0,1,0]). Only + − × ÷ and sqrt are used so results are identical on
 * every platform.
 */
export class HuRaster {
  readonly hu: Int16Array;

  constructor(
    readonly size: number,
    readonly spacing: number,
    readonly originX: number,
    readonly originY: number,
    background: number,
  ) {
    this.hu = new Int16Array(size * size).fill(background);
  }

  /**
   * Fills the ellipse (x−cx)²/ax² + (y−cy)²/ay² < 1 with `value`; if `onlyOver`
   * is given, only pixels currently holding that value change (to keep an
   * organ inside the cavity it was drawn into).
   */
  ellipse(cx: number, cy: number, ax: number, ay: number, value: number, onlyOver?: number): void {
    if (!(ax > 0 && ay > 0)) return;
    const { size, spacing, originX, originY, hu } = this;
    const c0 = Math.max(0, Math.floor((cx - ax - originX) / spacing));
    const c1 = Math.min(size - 1, Math.ceil((cx + ax - originX) / spacing));
    const r0 = Math.max(0, Math.floor((cy - ay - originY) / spacing));
    const r1 = Math.min(size - 1, Math.ceil((cy + ay - originY) / spacing));
    const iax2 = 1 / (ax * ax);
    const iay2 = 1 / (ay * ay);
    for (let r = r0; r <= r1; r++) {
      const dy = originY + r * spacing - cy;
      const ty = dy * dy * iay2;
      if (ty >= 1) continue;
      const rowStart = r * size;
      for (let c = c0; c <= c1; c++) {
        const dx = originX + c * spacing - cx;
        if (dx * dx * iax2 + ty < 1) {
          const i = rowStart + c;
          if (onlyOver === undefined || hu[i] === onlyOver) hu[i] = value;
        }
      }
    }
  }

  /**
   * Paints the cut of the ellipsoid centred at (cx, cy, cz) with semi-axes
   * (ax, ay, az) by the plane z: an ellipse scaled by √(1 − (z−cz)²/az²).
   */
  ellipsoid(z: number, cx: number, cy: number, cz: number, ax: number, ay: number, az: number, value: number, onlyOver?: number): void {
    const dz = (z - cz) / az;
    const k = 1 - dz * dz;
    if (!(k > 0) || !(az > 0)) return;
    const s = Math.sqrt(k);
    this.ellipse(cx, cy, ax * s, ay * s, value, onlyOver);
  }

  /** Axis-aligned rectangle [x0,x1)×[y0,y1). */
  rect(x0: number, x1: number, y0: number, y1: number, value: number, onlyOver?: number): void {
    const { size, spacing, originX, originY, hu } = this;
    const c0 = Math.max(0, Math.ceil((x0 - originX) / spacing));
    const c1 = Math.min(size - 1, Math.ceil((x1 - originX) / spacing) - 1);
    const r0 = Math.max(0, Math.ceil((y0 - originY) / spacing));
    const r1 = Math.min(size - 1, Math.ceil((y1 - originY) / spacing) - 1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const i = r * size + c;
        if (onlyOver === undefined || hu[i] === onlyOver) hu[i] = value;
      }
    }
  }

  /**
   * Stored values for a CT slice with RescaleIntercept −1024, slope 1, 12
   * bits stored, after adding seeded noise (more on bone, as on a real
   * scanner's bone kernel edges).
   */
  toStoredCt(rng: SeededRandom, softNoiseHu: number, boneNoiseHu: number): Uint16Array {
    const { hu } = this;
    const stored = new Uint16Array(hu.length);
    for (let i = 0; i < hu.length; i++) {
      const value = hu[i] as number;
      const noisy = value + (value > 300 ? boneNoiseHu : softNoiseHu) * rng.normal();
      const s = Math.round(noisy + 1024);
      stored[i] = s < 0 ? 0 : s > 4095 ? 4095 : s;
    }
    return stored;
  }
}
