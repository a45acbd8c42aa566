import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../demo/atomicWrite.js';
import { DeliveryError } from './deliveryError.js';

/**
 * HL7 results go to a folder per site until MLLP sending exists: an
 * interface engine (or a person) picks them up. The file name is the report
 * id, so a retry rewrites the same file with the same bytes (never a second
 * message).
 */
export class Hl7Outbox {
  constructor(private readonly dataDir: string) {}

  pathOf(siteId: string, reportId: string): string {
    return join(this.dataDir, 'outbox', 'hl7', siteId, `${reportId}.hl7`);
  }

  /** True when the file holds exactly these bytes: the arrival check. */
  async holds(siteId: string, reportId: string, bytes: Uint8Array): Promise<boolean> {
    try {
      return Buffer.from(await readFile(this.pathOf(siteId, reportId))).equals(Buffer.from(bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new DeliveryError(`The HL7 outbox folder cannot be read (${(error as Error).message}).`);
    }
  }

  async write(siteId: string, reportId: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(siteId, reportId);
    try {
      await mkdir(join(this.dataDir, 'outbox', 'hl7', siteId), { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, bytes);
    } catch (error) {
      throw new DeliveryError(`The HL7 message could not be written to the hub's outbox folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the disk.`);
    }
  }
}

/** PID-3 of an HL7 v2 message: the first identifier and its assigning authority (issuer), for the identity guard. */
export function hl7PatientIdentity(bytes: Uint8Array): { patientId: string; issuer: string } | null {
  const text = Buffer.from(bytes).toString('utf8');
  const pid = text.split(/\r\n|\r|\n/).find((segment) => segment.startsWith('PID|'));
  if (!pid) return null;
  const componentSeparator = text.startsWith('MSH') ? (text[4] ?? '^') : '^';
  const firstRepetition = (pid.split('|')[3] ?? '').split('~')[0] ?? '';
  const components = firstRepetition.split(componentSeparator);
  const patientId = (components[0] ?? '').trim();
  if (patientId === '') return null;
  // Component 4 (assigning authority) may hold sub-components: its namespace id is the first.
  const issuer = (components[3] ?? '').split('&')[0]?.trim() ?? '';
  return { patientId, issuer };
}
