import {
  Enums,
  getRenderingCapabilities,
  getShouldUseCPURendering,
  metaData,
  type RenderingEngine,
  setUseCPURendering,
  utilities as coreUtilities,
  type Types,
} from '@cornerstonejs/core';
import {
  AngleTool,
  EllipticalROITool,
  Enums as ToolEnums,
  LengthTool,
  PanTool,
  ProbeTool,
  StackScrollTool,
  synchronizers,
  SynchronizerManager,
  ToolGroupManager,
  utilities as toolUtilities,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import type { ViewerAction } from '../hotkeys.js';
import type { SeriesSummary } from '../../../core/seriesOrder.js';
import { voiRange, WINDOW_PRESETS, windowFromRange, type PresetId } from '../windowPresets.js';
import { describeLoadError } from './loadError.js';
import { ImageVerdicts } from './imageVerdicts.js';
import { ENGINE_ID, pageEngine } from './pageEngine.js';
import { instanceOfImageId } from './imageIds.js';
import { ORIENTATION_AXIS, setMip, showVolume, type Orientation } from './volumeViews.js';
import { isIntegerRescale, stacksOnCpu, type ImageRendering } from '../stackRendering.js';
import { alignCpuPixelCentres } from './cpuPixelCentres.js';

const TOOL_GROUP_ID = 'vigie-tools';

/** Whether every image of a series has a whole-number Rescale Slope and Intercept (from the metadata already registered). */
function integerRescale(imageIds: readonly string[]): boolean {
  return imageIds.every((imageId) => {
    const lut = metaData.get(Enums.MetadataModules.MODALITY_LUT, imageId) as { rescaleSlope?: number; rescaleIntercept?: number } | undefined;
    return isIntegerRescale(lut?.rescaleSlope, lut?.rescaleIntercept);
  });
}
const CINE_FPS = 15;
/** An image still not on screen after this long is reported, never left as an endless "loading". */
export const IMAGE_TIMEOUT_MS = 15_000;

/** What a cell shows: a series as a stack, or as one plane of its volume. */
export interface CellContent {
  studyUid: string;
  series: SeriesSummary;
  imageIds: string[];
  /** The study being read, or a prior of the same patient shown beside it. */
  role: 'current' | 'prior';
  mode: 'stack' | Orientation;
  mip?: boolean;
  /** Image to open at (stack only); 0 by default. */
  startIndex?: number;
}

export interface CellStatus {
  state: 'idle' | 'loading' | 'shown' | 'error';
  /** Why the image cannot be shown (the UI localises around it). */
  error?: { imageIndex: number; sopInstanceUid: string | null; frameNumber: number | null; reason: string };
  imageId?: string;
  imageIndex?: number;
  imageCount?: number;
  window?: { width: number; center: number };
  invert?: boolean;
  cine?: boolean;
}

export type PrimaryTool = 'windowLevel' | 'zoom' | 'pan' | 'scroll' | 'length' | 'angle' | 'ellipse' | 'probe';

const PRIMARY_TOOL_NAMES: Record<PrimaryTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  zoom: ZoomTool.toolName,
  pan: PanTool.toolName,
  scroll: StackScrollTool.toolName,
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
  ellipse: EllipticalROITool.toolName,
  probe: ProbeTool.toolName,
};

interface Cell {
  element: HTMLDivElement;
  viewportId: string;
  content: CellContent | null;
  status: CellStatus;
  /** Last scroll direction, for the prefetch order. */
  direction: 1 | -1 | 0;
  listeners: Array<[string, EventListener]>;
  /** Pending "still loading?" check of the image asked for. */
  watchdog: ReturnType<typeof setTimeout> | null;
  /** The index last asked by a key, while its image loads (fast key presses queue from it). */
  requested: number | null;
}

export interface ControllerListener {
  /** Something on screen changed (status, image index, window): the UI re-reads `snapshot()`. */
  changed(): void;
  /** The active cell moved to another image of a stack: prefetch around it. */
  imageChanged?(cellIndex: number, content: CellContent, index: number, direction: 1 | -1 | 0): void;
}

/**
 * The imperative side of the viewer: one Cornerstone3D rendering engine, its
 * viewports (one per layout cell), the tool group and the scroll
 * synchronisers. React owns the layout and the elements; this class owns
 * what Cornerstone draws in them.
 */
export class ViewerController {
  private readonly engine: RenderingEngine;
  private cells: Cell[] = [];
  private active = 0;
  private primaryTool: PrimaryTool = 'windowLevel';
  private synchronizerIds: string[] = [];
  private generation = 0;
  private readonly verdicts: ImageVerdicts;

  /** `imageRendering` is read at each layout: the workstation's choice may change while the viewer is open. */
  constructor(
    private readonly listener: ControllerListener,
    private readonly imageRendering: () => ImageRendering = () => 'auto',
  ) {
    this.verdicts = new ImageVerdicts((imageId, problem) => {
      for (const cell of this.cells) {
        if (cell.status.imageId !== imageId || !cell.content) continue;
        if (problem !== null) this.fail(cell, cell.content.imageIds.indexOf(imageId), problem);
        else this.refreshStatus(cell);
      }
    });
    this.engine = pageEngine();
    performance.mark('vigie:engine');
    ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
    const group = ToolGroupManager.createToolGroup(TOOL_GROUP_ID);
    if (!group) throw new Error('Cornerstone could not create the viewer tool group.');
    for (const name of Object.values(PRIMARY_TOOL_NAMES)) group.addTool(name);
    this.bindMouse();
  }

  /** Puts these contents in these elements (a new layout, another series, MPR on or off). */
  async setCells(elements: HTMLDivElement[], contents: Array<CellContent | null>): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    const positions = this.positions();
    this.detachCells();
    this.cells = elements.map((element, index) => ({
      element,
      viewportId: `vigie-cell-${index}`,
      content: this.placed(contents[index] ?? null, positions),
      status: { state: contents[index] ? 'loading' : 'idle' },
      direction: 0,
      listeners: [],
      watchdog: null,
      requested: null,
    }));
    this.active = Math.min(this.active, Math.max(0, this.cells.length - 1));
    this.chooseStackRendering();
    this.engine.setViewports(
      this.cells.map((cell) => ({
        viewportId: cell.viewportId,
        element: cell.element,
        type: cell.content && cell.content.mode !== 'stack' ? Enums.ViewportType.ORTHOGRAPHIC : Enums.ViewportType.STACK,
        defaultOptions: {
          background: [0, 0, 0] as Types.Point3,
          ...(cell.content && cell.content.mode !== 'stack' ? { orientation: ORIENTATION_AXIS[cell.content.mode] } : {}),
        },
      })),
    );
    if (getShouldUseCPURendering()) {
      for (const cell of this.cells) {
        const stack = this.stackViewport(cell);
        if (stack) alignCpuPixelCentres(stack);
      }
    }
    // Tools join a viewport only once it holds images: their key and mouse handlers ask a viewport
    // for its frame of reference, which an empty stack viewport cannot answer (an uncaught error).
    for (const cell of this.cells) this.listen(cell);
    this.listener.changed();
    await Promise.all([this.loadStacks(generation), this.loadVolumes(generation)]);
    if (generation === this.generation) this.synchroniseScroll();
  }

  /** Where each stack stands now, the image asked for included (it may still be loading). */
  private positions(): Map<string, number> {
    const positions = new Map<string, number>();
    for (const cell of this.cells) {
      const stack = cell.content?.mode === 'stack' ? this.stackViewport(cell) : null;
      if (!cell.content || !stack) continue;
      positions.set(`${cell.content.studyUid}/${cell.content.series.seriesInstanceUid}`, cell.requested ?? stack.getCurrentImageIdIndex());
    }
    return positions;
  }

  /** A stack already on screen reopens where the reader is, not where the page last heard they were. */
  private placed(content: CellContent | null, positions: Map<string, number>): CellContent | null {
    if (!content || content.mode !== 'stack') return content;
    const live = positions.get(`${content.studyUid}/${content.series.seriesInstanceUid}`);
    return live === undefined ? content : { ...content, startIndex: live };
  }

  snapshot(): { active: number; primaryTool: PrimaryTool; cells: Array<{ content: CellContent | null; status: CellStatus }> } {
    return { active: this.active, primaryTool: this.primaryTool, cells: this.cells.map((cell) => ({ content: cell.content, status: { ...cell.status } })) };
  }

  activeIndex(): number {
    return this.active;
  }

  setActive(index: number): void {
    if (index < 0 || index >= this.cells.length || index === this.active) return;
    this.active = index;
    this.listener.changed();
  }

  /** The image object on screen in the active cell (for the test probe and the overlay). */
  displayedImage(cellIndex = this.active): Types.IImage | null {
    const cell = this.cells[cellIndex];
    if (!cell?.content || cell.content.mode !== 'stack' || cell.status.state !== 'shown') return null;
    const viewport = this.stackViewport(cell);
    return viewport?.getCornerstoneImage() ?? null;
  }

  /** The on-screen canvas of a cell, for the probe. */
  canvasOf(cellIndex = this.active): HTMLCanvasElement | null {
    return this.cells[cellIndex]?.element.querySelector('canvas') ?? null;
  }

  /**
   * The RGBA the screen shows at the centre of image pixel (column, row) of
   * the stack in a cell, read back from the on-screen canvas: what the eye
   * sees, after window, invert, zoom and interpolation.
   */
  canvasPixelAt(column: number, row: number, cellIndex = this.active): [number, number, number, number] | null {
    const cell = this.cells[cellIndex];
    const viewport = cell ? this.stackViewport(cell) : null;
    const canvas = this.canvasOf(cellIndex);
    const imageId = viewport?.getCurrentImageId();
    if (!viewport || !canvas || !imageId || canvas.clientWidth === 0) return null;
    // Cornerstone's image coordinates put a pixel's centre at +0.5.
    const world = coreUtilities.imageToWorldCoords(imageId, [column + 0.5, row + 0.5]);
    if (!world) return null;
    return this.canvasPixelAtWorld(world, cellIndex);
  }

  /** The RGBA on screen where a patient-space point (mm) projects in a cell: stacks and MPR planes alike. */
  canvasPixelAtWorld(world: Types.Point3, cellIndex = this.active): [number, number, number, number] | null {
    const cell = this.cells[cellIndex];
    const viewport = cell ? this.viewportOf(cell) : null;
    const canvas = this.canvasOf(cellIndex);
    if (!viewport || !canvas || canvas.clientWidth === 0) return null;
    const [x, y] = viewport.worldToCanvas(world);
    const scale = canvas.width / canvas.clientWidth;
    if (x < 0 || y < 0 || x * scale >= canvas.width || y * scale >= canvas.height) return null;
    const context = canvas.getContext('2d');
    if (!context) return null;
    const data = context.getImageData(Math.floor(x * scale), Math.floor(y * scale), 1, 1).data;
    return [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0];
  }

  /** A viewer action that concerns the images (the page handles layout, series, help and navigation). */
  apply(action: ViewerAction): boolean {
    const cell = this.cells[this.active];
    const viewport = cell ? this.viewportOf(cell) : null;
    if (action.startsWith('tool.')) {
      this.selectTool(action.slice('tool.'.length) as PrimaryTool);
      return true;
    }
    if (action.startsWith('preset.')) {
      this.applyPreset(action.slice('preset.'.length) as PresetId);
      return true;
    }
    if (!cell || !viewport) return false;
    switch (action) {
      case 'image.next':
        void this.scrollBy(cell, 1);
        return true;
      case 'image.previous':
        void this.scrollBy(cell, -1);
        return true;
      case 'image.first':
        void this.scrollTo(cell, 0);
        return true;
      case 'image.last':
        void this.scrollTo(cell, Number.MAX_SAFE_INTEGER);
        return true;
      case 'cine.toggle':
        this.toggleCine(cell);
        return true;
      case 'view.invert': {
        const properties = (viewport.getProperties() ?? {}) as { invert?: boolean };
        viewport.setProperties({ invert: !properties.invert } as never);
        viewport.render();
        return true;
      }
      case 'view.rotateRight':
      case 'view.rotateLeft': {
        const rotation = viewport.getViewPresentation().rotation ?? 0;
        viewport.setViewPresentation({ rotation: (rotation + (action === 'view.rotateRight' ? 90 : 270)) % 360 });
        viewport.render();
        return true;
      }
      case 'view.flipHorizontal':
      case 'view.flipVertical': {
        const camera = viewport.getCamera();
        viewport.setCamera(action === 'view.flipHorizontal' ? { flipHorizontal: !camera.flipHorizontal } : { flipVertical: !camera.flipVertical });
        viewport.render();
        return true;
      }
      case 'view.zoomIn':
      case 'view.zoomOut':
        viewport.setZoom(viewport.getZoom() * (action === 'view.zoomIn' ? 1.25 : 0.8));
        viewport.render();
        return true;
      case 'view.reset':
        viewport.resetCamera();
        (viewport as Partial<Types.IStackViewport>).resetProperties?.();
        viewport.render();
        this.refreshStatus(cell);
        return true;
      default:
        return false;
    }
  }

  selectTool(tool: PrimaryTool): void {
    if (!(tool in PRIMARY_TOOL_NAMES)) return;
    this.primaryTool = tool;
    this.bindMouse();
    this.listener.changed();
  }

  applyPreset(id: PresetId): void {
    const preset = WINDOW_PRESETS.find((candidate) => candidate.id === id);
    const cell = this.cells[this.active];
    const viewport = cell ? this.viewportOf(cell) : null;
    if (!preset || !cell || !viewport) return;
    viewport.setProperties({ voiRange: voiRange(preset) } as never);
    viewport.render();
    this.refreshStatus(cell);
  }

  setMip(cellIndex: number, on: boolean): void {
    const cell = this.cells[cellIndex];
    if (!cell?.content || cell.content.mode === 'stack') return;
    const viewport = this.engine.getViewport(cell.viewportId) as Types.IVolumeViewport | undefined;
    if (!viewport) return;
    cell.content = { ...cell.content, mip: on };
    setMip(viewport, on);
    this.listener.changed();
  }

  async scrollTo(cell: Cell, index: number): Promise<void> {
    const viewport = this.stackViewport(cell);
    if (!viewport || !cell.content) {
      if (cell.content) this.viewportOf(cell)?.scroll(index === 0 ? -10_000 : 10_000);
      return;
    }
    const target = Math.max(0, Math.min(cell.content.imageIds.length - 1, index));
    const current = cell.requested ?? viewport.getCurrentImageIdIndex();
    cell.direction = target > current ? 1 : target < current ? -1 : 0;
    // Recorded before the load: the next key press counts from here, not from the image still on screen.
    cell.requested = target;
    try {
      await viewport.setImageIdIndex(target);
    } catch (error) {
      this.fail(cell, target, error);
    } finally {
      if (cell.requested === target && viewport.getCurrentImageIdIndex() === target) cell.requested = null;
    }
  }

  private async scrollBy(cell: Cell, delta: 1 | -1): Promise<void> {
    const stack = this.stackViewport(cell);
    if (stack) return this.scrollTo(cell, (cell.requested ?? stack.getCurrentImageIdIndex()) + delta);
    this.viewportOf(cell)?.scroll(delta);
  }

  private toggleCine(cell: Cell): void {
    if (cell.status.cine) toolUtilities.cine.stopClip(cell.element);
    else toolUtilities.cine.playClip(cell.element, { framesPerSecond: CINE_FPS, loop: true });
    cell.status.cine = !cell.status.cine;
    this.listener.changed();
  }

  dispose(): void {
    this.generation += 1;
    this.detachCells();
    this.verdicts.dispose();
    ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
    // The viewports go (their elements leave the page); the engine stays for the next study.
    this.engine.setViewports([]);
  }

  /** Where this layout's stacks are drawn (stackRendering.ts); true: on the CPU. */
  stacksDrawnOnCpu(): boolean {
    return getShouldUseCPURendering();
  }

  private chooseStackRendering(): void {
    const onCpu = stacksOnCpu(
      this.imageRendering(),
      getRenderingCapabilities(),
      this.cells.map((cell) => (cell.content ? { mode: cell.content.mode, integerRescale: integerRescale(cell.content.imageIds) } : null)),
    );
    if (onCpu === getShouldUseCPURendering()) return;
    // Cornerstone reads its page-wide switch at every render and at a viewport's removal:
    // every viewport made under the old value goes first, then the new value holds for the new ones.
    this.engine.setViewports([]);
    setUseCPURendering(onCpu, false);
  }

  private group() {
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    if (!group) throw new Error('The viewer tool group is gone.');
    return group;
  }

  /** Left button: the chosen tool; right: zoom; middle: pan; wheel: scroll (OHIF's mouse map). */
  private bindMouse(): void {
    const group = this.group();
    const { MouseBindings } = ToolEnums;
    for (const name of Object.values(PRIMARY_TOOL_NAMES)) group.setToolPassive(name, { removeAllBindings: true });
    const primary = PRIMARY_TOOL_NAMES[this.primaryTool];
    group.setToolActive(primary, { bindings: [{ mouseButton: MouseBindings.Primary }] });
    if (primary !== ZoomTool.toolName) group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    if (primary !== PanTool.toolName) group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    group.setToolActive(StackScrollTool.toolName, {
      bindings: primary === StackScrollTool.toolName ? [{ mouseButton: MouseBindings.Primary }, { mouseButton: MouseBindings.Wheel }] : [{ mouseButton: MouseBindings.Wheel }],
    });
  }

  private async loadStacks(generation: number): Promise<void> {
    await Promise.all(
      this.cells.map(async (cell, index) => {
        const content = cell.content;
        const viewport = this.stackViewport(cell);
        if (!content || content.mode !== 'stack' || !viewport) return;
        const start = Math.max(0, Math.min(content.imageIds.length - 1, content.startIndex ?? 0));
        try {
          await viewport.setStack(content.imageIds, start);
          performance.mark('vigie:stack');
          if (generation !== this.generation) return;
          this.group().addViewport(cell.viewportId, ENGINE_ID);
          viewport.render();
          this.refreshStatus(cell);
          this.listener.imageChanged?.(index, content, start, 0);
        } catch (error) {
          if (generation === this.generation) this.fail(cell, start, error);
        }
      }),
    );
  }

  private async loadVolumes(generation: number): Promise<void> {
    const bySeries = new Map<string, { content: CellContent; cells: Cell[] }>();
    for (const cell of this.cells) {
      if (!cell.content || cell.content.mode === 'stack') continue;
      const entry = bySeries.get(cell.content.series.seriesInstanceUid) ?? { content: cell.content, cells: [] };
      entry.cells.push(cell);
      bySeries.set(cell.content.series.seriesInstanceUid, entry);
    }
    await Promise.all(
      [...bySeries.values()].map(async ({ content, cells }) => {
        try {
          await showVolume(this.engine, content.series.seriesInstanceUid, content.imageIds, cells.map((cell) => cell.viewportId));
          if (generation !== this.generation) return;
          for (const cell of cells) {
            this.group().addViewport(cell.viewportId, ENGINE_ID);
            const viewport = this.engine.getViewport(cell.viewportId) as Types.IVolumeViewport;
            if (cell.content?.mip) setMip(viewport, true);
            viewport.render();
            cell.status = { ...cell.status, state: 'shown', imageCount: content.imageIds.length };
            this.refreshStatus(cell);
          }
        } catch (error) {
          if (generation === this.generation) for (const cell of cells) this.fail(cell, 0, error);
        }
      }),
    );
  }

  private listen(cell: Cell): void {
    const onNewImage = (event: Event) => {
      const detail = (event as CustomEvent<{ imageIdIndex?: number }>).detail;
      if (cell.content?.mode !== 'stack') return;
      const index = detail.imageIdIndex ?? 0;
      if (cell.requested === index) cell.requested = null;
      const previous = cell.status.imageIndex ?? index;
      const direction: 1 | -1 | 0 = index > previous ? 1 : index < previous ? -1 : cell.direction;
      cell.direction = direction;
      this.refreshStatus(cell);
      const cellIndex = this.cells.indexOf(cell);
      if (cellIndex >= 0) this.listener.imageChanged?.(cellIndex, cell.content, index, direction);
    };
    const onVoi = () => this.refreshStatus(cell);
    // Before the image of a new index loads (keys, wheel, cine, sync): what is asked is what the cell reports on.
    const onPreNewImage = (event: Event) => {
      const detail = (event as CustomEvent<{ imageId?: string; imageIdIndex?: number }>).detail;
      if (cell.content?.mode !== 'stack' || detail.imageId === undefined) return;
      const problem = this.verdicts.problemOf(detail.imageId);
      cell.status = { ...cell.status, imageId: detail.imageId, imageIndex: detail.imageIdIndex ?? cell.status.imageIndex ?? 0 };
      if (problem !== null) this.fail(cell, detail.imageIdIndex ?? 0, problem);
      else {
        cell.status = { ...cell.status, state: 'loading', error: undefined };
        this.watch(cell, detail.imageId);
        this.listener.changed();
      }
    };
    const onLoadError = (event: Event) => {
      const detail = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (!cell.content || detail.imageId === undefined) return;
      const index = cell.content.imageIds.indexOf(detail.imageId);
      if (index >= 0 && index === (this.stackViewport(cell)?.getCurrentImageIdIndex() ?? -1)) this.fail(cell, index, detail.error);
    };
    const onPointerDown = () => this.setActive(this.cells.indexOf(cell));
    const listeners: Array<[string, EventListener]> = [
      [Enums.Events.STACK_NEW_IMAGE, onNewImage],
      [Enums.Events.PRE_STACK_NEW_IMAGE, onPreNewImage],
      [Enums.Events.VOLUME_NEW_IMAGE, onVoi],
      [Enums.Events.VOI_MODIFIED, onVoi],
      [Enums.Events.IMAGE_LOAD_ERROR, onLoadError],
      ['pointerdown', onPointerDown],
    ];
    for (const [type, handler] of listeners) cell.element.addEventListener(type, handler);
    cell.listeners = listeners;
  }

  private detachCells(): void {
    for (const cell of this.cells) {
      if (cell.watchdog !== null) clearTimeout(cell.watchdog);
      for (const [type, handler] of cell.listeners) cell.element.removeEventListener(type, handler);
      if (cell.status.cine) toolUtilities.cine.stopClip(cell.element);
    }
    for (const id of this.synchronizerIds) SynchronizerManager.destroySynchronizer(id);
    this.synchronizerIds = [];
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    for (const cell of this.cells) group?.removeViewports(ENGINE_ID, cell.viewportId);
  }

  /** Stacks of one frame of reference scroll together (the same position, not the same index). */
  private synchroniseScroll(): void {
    const groups = new Map<string, Cell[]>();
    for (const cell of this.cells) {
      const frame = cell.content?.series.frameOfReferenceUid;
      if (!cell.content || cell.content.mode !== 'stack' || !frame || cell.status.state !== 'shown') continue;
      groups.set(frame, [...(groups.get(frame) ?? []), cell]);
    }
    let n = 0;
    for (const cells of groups.values()) {
      if (cells.length < 2) continue;
      const id = `vigie-scroll-sync-${n++}`;
      const synchronizer = synchronizers.createImageSliceSynchronizer(id);
      for (const cell of cells) synchronizer.add({ renderingEngineId: ENGINE_ID, viewportId: cell.viewportId });
      this.synchronizerIds.push(id);
    }
  }

  private viewportOf(cell: Cell): Types.IStackViewport | Types.IVolumeViewport | null {
    return (this.engine.getViewport(cell.viewportId) as Types.IStackViewport | Types.IVolumeViewport | undefined) ?? null;
  }

  private stackViewport(cell: Cell): Types.IStackViewport | null {
    const viewport = this.engine.getViewport(cell.viewportId);
    return viewport && viewport.type === Enums.ViewportType.STACK ? (viewport as Types.IStackViewport) : null;
  }

  private refreshStatus(cell: Cell): void {
    const content = cell.content;
    const viewport = this.viewportOf(cell);
    if (!content || !viewport) return;
    // A volume viewport has no properties until its volume is set.
    const properties = (viewport.getProperties() ?? {}) as { voiRange?: { lower: number; upper: number }; invert?: boolean };
    const stack = this.stackViewport(cell);
    const index = stack ? stack.getCurrentImageIdIndex() : viewport.getSliceIndex?.();
    const imageId = stack ? content.imageIds[index ?? 0] : undefined;
    const problem = imageId === undefined ? null : this.verdicts.problemOf(imageId);
    if (imageId !== undefined && problem !== null) {
      cell.status = { ...cell.status, imageId };
      this.fail(cell, index ?? 0, problem);
      return;
    }
    // "Shown" means the asked image is the one drawn: a stack keeps the previous image until the new one decodes.
    const drawn = !stack || stack.getCornerstoneImage()?.imageId === imageId;
    if (!drawn && imageId !== undefined) this.watch(cell, imageId);
    cell.status = {
      ...cell.status,
      state: !drawn ? 'loading' : cell.status.state === 'error' && cell.status.error?.imageIndex === index ? 'error' : 'shown',
      ...(cell.status.state === 'error' && cell.status.error?.imageIndex === index ? {} : { error: undefined }),
      imageIndex: index ?? 0,
      imageCount: stack ? content.imageIds.length : (viewport.getNumberOfSlices?.() ?? content.imageIds.length),
      ...(imageId === undefined ? {} : { imageId }),
      ...(properties.voiRange ? { window: windowFromRange(properties.voiRange.lower, properties.voiRange.upper) } : {}),
      invert: properties.invert === true,
    };
    this.listener.changed();
  }

  /** Reports an image that never arrives (a decoder that neither answers nor fails, a stalled transfer). */
  private watch(cell: Cell, imageId: string): void {
    if (cell.watchdog !== null) clearTimeout(cell.watchdog);
    cell.watchdog = setTimeout(() => {
      cell.watchdog = null;
      if (cell.status.imageId === imageId && cell.status.state === 'loading' && cell.content) {
        this.fail(cell, cell.content.imageIds.indexOf(imageId), `the image did not arrive or could not be decoded within ${IMAGE_TIMEOUT_MS / 1000} s`);
      }
    }, IMAGE_TIMEOUT_MS);
  }

  private fail(cell: Cell, imageIndex: number, error: unknown): void {
    if (cell.watchdog !== null) clearTimeout(cell.watchdog);
    cell.watchdog = null;
    const imageId = cell.content?.imageIds[imageIndex];
    const instance = imageId ? instanceOfImageId(imageId) : null;
    cell.status = {
      ...cell.status,
      state: 'error',
      imageIndex,
      imageCount: cell.content?.imageIds.length ?? 0,
      ...(imageId === undefined ? {} : { imageId }),
      error: { imageIndex, sopInstanceUid: instance?.sopInstanceUid ?? null, frameNumber: instance?.frameNumber ?? null, reason: describeLoadError(error) },
    };
    this.listener.changed();
  }
}
