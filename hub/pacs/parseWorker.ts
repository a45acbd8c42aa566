/**
 * Worker thread that parses DICOM from outside (started by untrustedDicom.ts
 * with a heap limit, a stack limit and a time limit). Whatever a hostile
 * file does here — throw, recurse until the stack overflows, exhaust the
 * heap, loop — ends this thread at worst, never the hub.
 */
import { readFile, stat } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import {
  DicomProblemError,
  classifyParseError,
  framesFromParsed,
  parseAndCheck,
  type DicomProblem,
  type InspectLimits,
  type InspectMode,
  type InspectedInstance,
} from './dicomInspection.js';

export type WorkerTask = { kind: 'inspect'; mode: InspectMode } | { kind: 'frames'; frameNumbers: number[] };

export interface WorkerRequest {
  id: number;
  source: { path: string } | { bytes: Uint8Array };
  task: WorkerTask;
  limits: InspectLimits;
  maxFileBytes: number;
}

export type WorkerResponse =
  | { id: number; ok: true; instance: InspectedInstance }
  | { id: number; ok: true; frames: Uint8Array[] }
  | { id: number; ok: false; error: DicomProblem };

function tooLarge(size: number, max: number): DicomProblemError {
  return new DicomProblemError('too-large', `the file is ${size} bytes, more than the ${max} bytes accepted`);
}

async function load(source: WorkerRequest['source'], maxFileBytes: number): Promise<Buffer> {
  if ('bytes' in source) return Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
  let bytes: Buffer;
  try {
    const info = await stat(source.path);
    if (!info.isFile()) throw new DicomProblemError('unreadable-file', 'not a regular file');
    if (info.size > maxFileBytes) throw tooLarge(info.size, maxFileBytes);
    bytes = await readFile(source.path);
  } catch (error) {
    if (error instanceof DicomProblemError) throw error;
    throw new DicomProblemError('unreadable-file', `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxFileBytes) throw tooLarge(bytes.length, maxFileBytes);
  return bytes;
}

async function handle(request: WorkerRequest): Promise<{ response: WorkerResponse; transfer: ArrayBuffer[] }> {
  try {
    const bytes = await load(request.source, request.maxFileBytes);
    if (request.task.kind === 'inspect') {
      const { instance } = parseAndCheck(bytes, request.task.mode, request.limits);
      return { response: { id: request.id, ok: true, instance }, transfer: [] };
    }
    const parsed = parseAndCheck(bytes, 'summary', request.limits);
    // Copies: the slices share the file's buffer, which must not be transferred whole.
    const frames = framesFromParsed(parsed, request.task.frameNumbers).map((frame) => new Uint8Array(frame));
    return { response: { id: request.id, ok: true, frames }, transfer: frames.map((f) => f.buffer as ArrayBuffer) };
  } catch (thrown) {
    const problem = classifyParseError(thrown, 'parser');
    return { response: { id: request.id, ok: false, error: { code: problem.code, message: problem.message } }, transfer: [] };
  }
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: WorkerRequest) => {
    void handle(request).then(({ response, transfer }) => port.postMessage(response, transfer));
  });
  // The pool starts each file's time limit from here, not from the (slow, tsx) start of the thread.
  port.postMessage({ ready: true });
}
