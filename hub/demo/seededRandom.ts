import { hash128 } from './uid.js';

/**
 * Small deterministic PRNG (mulberry32). Math.random() cannot be seeded, and
 * the demo files must be byte-identical for a given seed.
 */
export class SeededRandom {
  private state: number;

  /** Seeds from (seed, role) so each slice or study gets its own stream and can be built alone. */
  constructor(seed: number, role: string) {
    this.state = Number(hash128(`vigie-demo-rng/${seed}/${role}`) & 0xffffffffn) >>> 0;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /**
   * Approximately standard normal: the sum of the four bytes of one draw
   * (Irwin–Hall, mean 510, sd ≈ 147.8). One draw per pixel keeps 16 M-pixel
   * volumes fast, and image noise needs no better tails.
   */
  normal(): number {
    const v = this.nextUint32();
    const sum = (v & 0xff) + ((v >>> 8) & 0xff) + ((v >>> 16) & 0xff) + (v >>> 24);
    return (sum - 510) / 147.8;
  }
}
