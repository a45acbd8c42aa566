/**
 * Where the viewer draws a stack's images: with WebGL, or on the CPU into a
 * 2D canvas (Cornerstone3D's CPU rendering). A setting of the workstation,
 * not of the reader: it follows the machine's graphics, so it is kept in the
 * browser's storage, not on the hub (decision 85).
 *
 * With a software rasterizer (SwiftShader, llvmpipe, Microsoft Basic Render:
 * a remote desktop session, a virtual machine, a GPU the browser blocklists)
 * WebGL draws each image in software and then copies it back to the screen's
 * canvas; the CPU path skips both and scrolls at display rate where WebGL
 * did not (docs/performance.md). Volumes (MPR, MIP) need WebGL, and
 * Cornerstone's switch is one for the whole page, so a layout with a volume
 * cell draws its stacks with WebGL too. So does a layout showing a series
 * with a fractional Rescale Slope or Intercept (CR, MR, PET): Cornerstone's
 * CPU path re-quantises such an image to 16 bits in place, in the image
 * cache every other view shares (decision 85).
 */
export const IMAGE_RENDERING_CHOICES = ['auto', 'gpu', 'cpu'] as const;
export type ImageRendering = (typeof IMAGE_RENDERING_CHOICES)[number];

/** The browser storage key of this workstation's choice. */
export const IMAGE_RENDERING_KEY = 'vigie.imageRendering';

/** What the browser's WebGL is (Cornerstone's getRenderingCapabilities() answers these). */
export interface GraphicsCapabilities {
  webgl: boolean;
  softwareRasterizer: boolean;
}

/** What the choice needs to know of a layout cell: its mode, and whether every image's rescale is whole numbers. */
export interface LayoutCell {
  mode: string;
  integerRescale: boolean;
}

/** Whether a layout's stack cells are drawn on the CPU (null: an empty cell). */
export function stacksOnCpu(choice: ImageRendering, capabilities: GraphicsCapabilities, cells: ReadonlyArray<LayoutCell | null>): boolean {
  if (!capabilities.webgl) return true;
  const shown = cells.filter((cell): cell is LayoutCell => cell !== null);
  if (shown.some((cell) => cell.mode !== 'stack' || !cell.integerRescale)) return false;
  if (choice === 'auto') return capabilities.softwareRasterizer;
  return choice === 'cpu';
}

/** True when Rescale Slope and Intercept are whole numbers (absent: 1 and 0). */
export function isIntegerRescale(slope: number | undefined, intercept: number | undefined): boolean {
  return Number.isInteger(slope ?? 1) && Number.isInteger(intercept ?? 0);
}

export function isImageRendering(value: unknown): value is ImageRendering {
  return typeof value === 'string' && (IMAGE_RENDERING_CHOICES as readonly string[]).includes(value);
}

/** The workstation's choice; 'auto' when none is saved, the value is unknown, or storage is refused. */
export function readImageRendering(storage: Pick<Storage, 'getItem'> | undefined): ImageRendering {
  let value: string | null = null;
  try {
    value = storage?.getItem(IMAGE_RENDERING_KEY) ?? null;
  } catch {
    // A browser policy may refuse storage: the automatic choice is the safe one.
  }
  return isImageRendering(value) ? value : 'auto';
}

/** Saves the workstation's choice; 'auto' removes the key. False when the browser refused to keep it. */
export function saveImageRendering(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, choice: ImageRendering): boolean {
  if (!storage) return false;
  try {
    if (choice === 'auto') storage.removeItem(IMAGE_RENDERING_KEY);
    else storage.setItem(IMAGE_RENDERING_KEY, choice);
    return true;
  } catch {
    return false;
  }
}
