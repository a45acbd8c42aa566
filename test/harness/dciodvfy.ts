/**
 * Runs dicom3tools' `dciodvfy` (Debian `dicom3tools`) on a file and sorts its
 * report. dciodvfy writes everything to stderr and exits 1 when it found an
 * error, 0 with warnings only; the first line names the IOD it checked.
 */
import { spawn } from 'node:child_process';

export interface DciodvfyReport {
  /** Lines starting `Error -`: a valid object has none. */
  errors: string[];
  /** Lines starting `Warning -`. */
  warnings: string[];
  /** The IOD dciodvfy recognised (e.g. `CTImage`), if it printed one. */
  iod: string | undefined;
  exitCode: number | null;
}

const TIMEOUT_MS = 60_000;

export function dciodvfy(file: string): Promise<DciodvfyReport> {
  return new Promise((resolve, reject) => {
    const child = spawn('dciodvfy', [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (signal) {
        reject(new Error(`dciodvfy ${file} ended by ${signal}`));
        return;
      }
      const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '');
      const first = lines[0];
      resolve({
        errors: lines.filter((line) => line.startsWith('Error')),
        warnings: lines.filter((line) => line.startsWith('Warning')),
        iod: first !== undefined && /^\w+$/.test(first) ? first : undefined,
        exitCode,
      });
    });
  });
}

/** dciodvfy over many files, `concurrency` at a time, reports in the files' order. */
export async function dciodvfyAll(files: readonly string[], concurrency = 2): Promise<DciodvfyReport[]> {
  const reports: DciodvfyReport[] = new Array<DciodvfyReport>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      reports[index] = await dciodvfy(files[index] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  return reports;
}
