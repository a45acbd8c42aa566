import { describe, expect, it } from 'vitest';
import { IMAGE_RENDERING_KEY, isIntegerRescale, readImageRendering, saveImageRendering, stacksOnCpu, type LayoutCell } from '../../../renderer/viewer/stackRendering.js';

const SOFTWARE = { webgl: true, softwareRasterizer: true };
const HARDWARE = { webgl: true, softwareRasterizer: false };
const NO_WEBGL = { webgl: false, softwareRasterizer: false };
const STACK: LayoutCell = { mode: 'stack', integerRescale: true };
const FRACTIONAL: LayoutCell = { mode: 'stack', integerRescale: false };
const cell = (mode: string): LayoutCell => ({ mode, integerRescale: true });

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('stacksOnCpu', () => {
  it('automatic: on the CPU with a software rasterizer, with WebGL on a GPU', () => {
    expect(stacksOnCpu('auto', SOFTWARE, [STACK, null])).toBe(true);
    expect(stacksOnCpu('auto', HARDWARE, [STACK, null])).toBe(false);
  });

  it('the workstation’s choice wins over the automatic one for stack layouts', () => {
    expect(stacksOnCpu('gpu', SOFTWARE, [STACK])).toBe(false);
    expect(stacksOnCpu('cpu', HARDWARE, [STACK, STACK])).toBe(true);
  });

  it('a layout with a volume cell (MPR, MIP) draws with WebGL whatever was chosen', () => {
    for (const choice of ['auto', 'cpu', 'gpu'] as const) {
      expect(stacksOnCpu(choice, SOFTWARE, [STACK, cell('axial'), cell('coronal'), cell('sagittal')])).toBe(false);
      expect(stacksOnCpu(choice, HARDWARE, [null, cell('axial')])).toBe(false);
    }
  });

  it('a series with a fractional rescale is drawn with WebGL: Cornerstone’s CPU path would re-quantise it in the shared cache', () => {
    for (const choice of ['auto', 'cpu'] as const) expect(stacksOnCpu(choice, SOFTWARE, [STACK, FRACTIONAL])).toBe(false);
    expect(isIntegerRescale(1, -1024)).toBe(true);
    expect(isIntegerRescale(undefined, undefined)).toBe(true);
    expect(isIntegerRescale(0.7785, 0)).toBe(false);
    expect(isIntegerRescale(1, -0.5)).toBe(false);
  });

  it('without WebGL the CPU is the only way', () => {
    expect(stacksOnCpu('gpu', NO_WEBGL, [STACK])).toBe(true);
    expect(stacksOnCpu('auto', NO_WEBGL, [])).toBe(true);
  });
});

describe('the workstation’s image rendering setting', () => {
  it('reads back what was saved; automatic removes the key', () => {
    const storage = new MemoryStorage();
    expect(readImageRendering(storage)).toBe('auto');
    expect(saveImageRendering(storage, 'cpu')).toBe(true);
    expect(storage.items.get(IMAGE_RENDERING_KEY)).toBe('cpu');
    expect(readImageRendering(storage)).toBe('cpu');
    expect(saveImageRendering(storage, 'auto')).toBe(true);
    expect(storage.items.has(IMAGE_RENDERING_KEY)).toBe(false);
    expect(readImageRendering(storage)).toBe('auto');
  });

  it('an unknown value, no storage or a storage that throws all read as automatic', () => {
    const storage = new MemoryStorage();
    storage.setItem(IMAGE_RENDERING_KEY, 'vulkan');
    expect(readImageRendering(storage)).toBe('auto');
    expect(readImageRendering(undefined)).toBe('auto');
    const refusing = {
      getItem: (): string | null => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: (): void => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: (): void => undefined,
    };
    expect(readImageRendering(refusing)).toBe('auto');
    expect(saveImageRendering(refusing, 'gpu')).toBe(false);
    expect(saveImageRendering(undefined, 'gpu')).toBe(false);
  });
});
