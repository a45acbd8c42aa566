/**
 * Writes the synthetic demo studies into a folder:
 *   tsx hub/cli/generateDemo.ts <folder> [--seed N] [--head-ct-slices N]
 * Prints one line per study. Safe to run again: complete files are kept.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SEED, generateDemoStudies } from '../demo/demoStudies.js';
import { HEAD_CT_DEFAULT_SLICES } from '../demo/headCt.js';

const USAGE = 'usage: tsx hub/cli/generateDemo.ts <folder> [--seed N] [--head-ct-slices N]\n';

function parseInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new RangeError(`--${name} must be a non-negative integer`);
  return value;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { seed: { type: 'string' }, 'head-ct-slices': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const folder = resolve(positionals[0]);
  let summaries;
  try {
    const seed = parseInteger('seed', values.seed, DEFAULT_DEMO_SEED);
    const headCtSlices = parseInteger('head-ct-slices', values['head-ct-slices'], HEAD_CT_DEFAULT_SLICES);
    summaries = await generateDemoStudies({ folder, seed, headCtSlices });
  } catch (error) {
    // Bad option values surface as RangeErrors (here or from the generator); anything else is a real failure.
    if (!(error instanceof RangeError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}`);
    return 2;
  }
  for (const s of summaries) {
    process.stdout.write(`${s.modality}\t${s.instanceCount}\t${s.patientId}\t${s.description}\t${s.folder}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
