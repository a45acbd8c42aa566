import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dcmjs } from '../../../../hub/demo/loadDcmjs.js';
import type { NaturalDataset } from '../../../../hub/demo/dcmjs.js';

const run = promisify(execFile);

/** A command's stdout and stderr together (dcmtk warns on stderr); rejects on a non-zero exit. */
export async function output(command: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(command, args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
  return `${stdout}${stderr}`;
}

/** A temporary folder for the files the tools read; `cleanup` removes it. */
export async function tempFolder(): Promise<{ file(name: string, bytes: Uint8Array): Promise<string>; cleanup(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'vigie-test-documents-'));
  return {
    async file(name, bytes) {
      const path = join(folder, name);
      await writeFile(path, bytes);
      return path;
    },
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
}

/** Reads a Part-10 file back with dcmjs (the meta header and the naturalized dataset). */
export function readPart10(bytes: Uint8Array): { meta: NaturalDataset; dataset: NaturalDataset } {
  const copy = bytes.slice().buffer;
  const { meta, dict } = dcmjs.data.DicomMessage.readFile(copy);
  return { meta: dcmjs.data.DicomMetaDictionary.naturalizeDataset(meta), dataset: dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict) };
}
