import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_INSPECT_LIMITS, type DicomProblem, type InspectLimits, type InspectMode, type InspectedInstance } from './dicomInspection.js';
import type { WorkerRequest, WorkerResponse, WorkerTask } from './parseWorker.js';
import { silentPacsLogger, type PacsLogger } from './pacsLogger.js';

export type { DicomProblem, DicomProblemCode, InspectedInstance, InspectMode, PixelLayout } from './dicomInspection.js';

/**
 * Parsing DICOM that comes from outside, where a hostile file cannot take
 * the hub down (PITFALLS "Untrusted DICOM"): crafted files make dcmjs grow
 * past 4 GB and abort the process, deep sequences overflow the stack of
 * both parsers, a million tiny elements take seconds. So files are parsed in
 * worker threads (parseWorker.ts) with a V8 heap limit, a stack limit, a time
 * limit per file, and a size cap checked before reading. A bad file comes
 * back as `{ ok: false, error: { code, message } }`; a worker that dies or
 * runs out of time is replaced.
 */

export type Inspection<T> = { ok: true; value: T } | { ok: false; error: DicomProblem };

/** A DicomProblem as an exception, for callers that prefer to throw. */
export class UntrustedDicomError extends Error {
  override readonly name = 'UntrustedDicomError';
  constructor(readonly problem: DicomProblem) {
    super(`Unusable DICOM file: ${problem.message}`);
  }
}

export interface DicomInspectorOptions {
  /** Worker threads (files parsed in parallel). Default 1. */
  workers?: number;
  /** Time limit per file, reading included. Default 10 000 ms. */
  timeLimitMs?: number;
  /** Files above this size are refused before being read. Default 1 GiB. */
  maxFileBytes?: number;
  /** V8 old-generation limit of each worker. Default 256 MiB. */
  maxOldGenerationSizeMb?: number;
  /** Stack of each worker. Default 4 MiB. */
  stackSizeMb?: number;
  limits?: Partial<InspectLimits>;
  logger?: PacsLogger;
}

interface Job {
  source: WorkerRequest['source'];
  task: WorkerTask;
  transfer: ArrayBuffer[];
  settle(response: WorkerResponse | { ok: false; error: DicomProblem }): void;
}

interface Slot {
  worker: Worker | undefined;
  /** The worker has loaded parseWorker.ts (tsx takes a few hundred ms): the time limit starts then. */
  ready: boolean;
  job: (Job & { id: number; timer: NodeJS.Timeout | undefined }) | undefined;
}

/** A worker that cannot load its module within this delay is reported as failed. */
const STARTUP_LIMIT_MS = 30_000;

/**
 * How the worker is started. Under tsx (how the hub runs: build/start.mjs
 * registers it, and vitest) this module is a .ts file: the worker registers
 * tsx's ESM hooks itself before importing parseWorker.ts, because Node 20
 * neither passes runtime-registered hooks to workers nor honours
 * `--import tsx` in a worker's execArgv (tried: ERR_UNKNOWN_FILE_EXTENSION).
 * Compiled to .js, the worker is the sibling parseWorker.js.
 */
function startWorker(resourceLimits: { maxOldGenerationSizeMb: number; stackSizeMb: number }): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./parseWorker.js', here), { resourceLimits });
  const tsxPackage = createRequire(here).resolve('tsx/package.json');
  // The ESM build of `tsx/esm/api` (the "import" condition of its exports map).
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./parseWorker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

export class DicomInspector {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly timeLimitMs: number;
  private readonly maxFileBytes: number;
  private readonly limits: InspectLimits;
  private readonly resourceLimits: { maxOldGenerationSizeMb: number; stackSizeMb: number };
  private readonly logger: PacsLogger;
  private nextId = 1;
  private closed = false;

  constructor(options: DicomInspectorOptions = {}) {
    this.slots = Array.from({ length: Math.max(1, options.workers ?? 1) }, () => ({ worker: undefined, ready: false, job: undefined }));
    this.timeLimitMs = options.timeLimitMs ?? 10_000;
    this.maxFileBytes = options.maxFileBytes ?? 1024 * 1024 * 1024;
    this.limits = { ...DEFAULT_INSPECT_LIMITS, ...options.limits };
    this.resourceLimits = { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 256, stackSizeMb: options.stackSizeMb ?? 4 };
    this.logger = options.logger ?? silentPacsLogger;
  }

  /** Parses and checks a file; the size cap is checked before anything is read. */
  async inspectFile(path: string, mode: InspectMode = 'summary'): Promise<Inspection<InspectedInstance>> {
    const early = await this.checkFileSize(path);
    if (early !== undefined) return early;
    return this.inspection(await this.run({ path }, { kind: 'inspect', mode }, []));
  }

  /** Parses and checks bytes already in memory (copied to the worker). */
  async inspectBytes(bytes: Uint8Array, mode: InspectMode = 'summary'): Promise<Inspection<InspectedInstance>> {
    if (bytes.byteLength > this.maxFileBytes) return this.tooLarge(bytes.byteLength);
    return this.inspection(await this.run({ bytes: new Uint8Array(bytes) }, { kind: 'inspect', mode }, []));
  }

  /** Frames cut by the worker (for deflated files, whose pixel data only exists once inflated). */
  async extractFrames(path: string, frameNumbers: readonly number[]): Promise<Inspection<Buffer[]>> {
    const early = await this.checkFileSize(path);
    if (early !== undefined) return early;
    const response = await this.run({ path }, { kind: 'frames', frameNumbers: [...frameNumbers] }, []);
    if (!response.ok) return response;
    if (!('frames' in response)) return { ok: false, error: { code: 'inspector-failed', message: 'the worker answered without frames' } };
    return { ok: true, value: response.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)) };
  }

  /** Stops the workers; pending jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.settle({ ok: false, error: { code: 'inspector-failed', message: 'the DICOM inspector was closed' } });
    await Promise.all(
      this.slots.map(async (slot) => {
        const { worker, job } = slot;
        slot.worker = undefined;
        slot.job = undefined;
        if (job) {
          clearTimeout(job.timer);
          job.settle({ ok: false, error: { code: 'inspector-failed', message: 'the DICOM inspector was closed' } });
        }
        await worker?.terminate();
      }),
    );
  }

  private tooLarge(size: number): { ok: false; error: DicomProblem } {
    return { ok: false, error: { code: 'too-large', message: `the file is ${size} bytes, more than the ${this.maxFileBytes} bytes accepted` } };
  }

  private async checkFileSize(path: string): Promise<{ ok: false; error: DicomProblem } | undefined> {
    try {
      const info = await stat(path);
      if (!info.isFile()) return { ok: false, error: { code: 'unreadable-file', message: 'not a regular file' } };
      if (info.size > this.maxFileBytes) return this.tooLarge(info.size);
      return undefined;
    } catch (error) {
      return { ok: false, error: { code: 'unreadable-file', message: `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } };
    }
  }

  private inspection(response: WorkerResponse | { ok: false; error: DicomProblem }): Inspection<InspectedInstance> {
    if (!response.ok) return { ok: false, error: response.error };
    if (!('instance' in response)) return { ok: false, error: { code: 'inspector-failed', message: 'the worker answered without an instance' } };
    return { ok: true, value: response.instance };
  }

  private run(source: WorkerRequest['source'], task: WorkerTask, transfer: ArrayBuffer[]): Promise<WorkerResponse | { ok: false; error: DicomProblem }> {
    if (this.closed) return Promise.resolve({ ok: false, error: { code: 'inspector-failed', message: 'the DICOM inspector was closed' } });
    return new Promise((resolve) => {
      this.queue.push({ source, task, transfer, settle: resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job !== undefined) continue;
      const job = this.queue.shift() as Job;
      this.start(slot, job);
    }
  }

  private spawn(slot: Slot): Worker {
    const worker = startWorker(this.resourceLimits);
    slot.ready = false;
    worker.on('message', (message: WorkerResponse | { ready: true }) => {
      if (slot.worker !== worker) return;
      if ('ready' in message) {
        slot.ready = true;
        if (slot.job !== undefined) this.post(slot, worker);
        return;
      }
      if (slot.job === undefined || slot.job.id !== message.id) return;
      this.finish(slot, message);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.logger.warn({ code: error.code, reason: error.message.slice(0, 200) }, 'DICOM parse worker died; starting a new one');
      slot.worker = undefined;
      this.finish(slot, {
        ok: false,
        error: outOfMemory
          ? { code: 'out-of-memory', message: `parsing needed more than ${this.resourceLimits.maxOldGenerationSizeMb} MiB of memory` }
          : { code: 'inspector-failed', message: `the parse worker failed (${error.message.slice(0, 200)})` },
      });
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      this.finish(slot, { ok: false, error: { code: 'inspector-failed', message: 'the parse worker exited' } });
    });
    return worker;
  }

  private start(slot: Slot, job: Job): void {
    slot.worker ??= this.spawn(slot);
    const worker = slot.worker;
    worker.ref();
    const id = this.nextId++;
    slot.job = { ...job, id, timer: undefined };
    if (slot.ready) {
      this.post(slot, worker);
      return;
    }
    slot.job.timer = setTimeout(() => {
      if (slot.job?.id !== id || slot.ready) return;
      slot.worker = undefined;
      void worker.terminate();
      this.logger.error({ startupLimitMs: STARTUP_LIMIT_MS }, 'DICOM parse worker did not start');
      this.finish(slot, { ok: false, error: { code: 'inspector-failed', message: `the parse worker did not start within ${STARTUP_LIMIT_MS} ms` } });
    }, STARTUP_LIMIT_MS);
  }

  /** Sends the slot's job to its (ready) worker and starts the time limit. */
  private post(slot: Slot, worker: Worker): void {
    const job = slot.job;
    if (job === undefined) return;
    clearTimeout(job.timer);
    const { id } = job;
    job.timer = setTimeout(() => {
      if (slot.job?.id !== id) return;
      // A parse that runs too long (a million tiny elements, a loop) is cut by ending its thread.
      slot.worker = undefined;
      void worker.terminate();
      this.logger.warn({ timeLimitMs: this.timeLimitMs }, 'DICOM parse took too long; worker stopped');
      this.finish(slot, { ok: false, error: { code: 'timeout', message: `parsing took more than ${this.timeLimitMs} ms` } });
    }, this.timeLimitMs);
    const request: WorkerRequest = { id, source: job.source, task: job.task, limits: this.limits, maxFileBytes: this.maxFileBytes };
    worker.postMessage(request, job.transfer);
  }

  private finish(slot: Slot, response: WorkerResponse | { ok: false; error: DicomProblem }): void {
    const job = slot.job;
    if (job === undefined) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    slot.worker?.unref();
    job.settle(response);
    this.dispatch();
  }
}
