import type { DeliveryEndpoint, RequestingSite, Site } from '../../core/site.js';
import { readDocumentIdentity, type DocumentIdentity } from './documentIdentity.js';
import { hl7PatientIdentity } from './hl7Outbox.js';

/** What the guards compare: the job, its tele-file now, its document's own bytes, the organisation now. */
export interface GuardInput {
  job: { site_id: string; document_kind: 'sr' | 'pdf' | 'hl7'; endpoint: unknown };
  teleFile: { requesting_site_id: string | null; patient_id: string; issuer: string } | undefined;
  document: { bytes: Uint8Array } | undefined;
  sites: readonly Site[] | null;
}

export type GuardOutcome = { ok: true; site: RequestingSite; identity: DocumentIdentity | null } | { ok: false; reason: string };

/** Two endpoints are the same when every field is (key order aside). */
export function sameEndpoint(a: unknown, b: DeliveryEndpoint): boolean {
  if (typeof a !== 'object' || a === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((k) => left[k] === right[k]);
}

/**
 * Guards (a) and (b), checked before every send: a report goes only to the
 * site that asked for the reading, at the address configured now, and only
 * if the document names the tele-file's patient. Messages name internal ids,
 * never a patient ID (they are shown to admins and audited).
 */
export function checkGuards(input: GuardInput, options: { acceptNewEndpoint?: boolean } = {}): GuardOutcome {
  const { job, teleFile, document } = input;
  if (!teleFile) return { ok: false, reason: 'The tele-file of this report no longer exists.' };
  if (teleFile.requesting_site_id !== job.site_id) {
    return { ok: false, reason: `The report was to go to site "${job.site_id}" but the tele-file's requesting site is ${teleFile.requesting_site_id === null ? 'unknown' : `"${teleFile.requesting_site_id}"`}: a person must check where it belongs.` };
  }
  const site = input.sites?.find((s): s is RequestingSite => s.kind === 'requesting' && s.id === job.site_id);
  if (!site) return { ok: false, reason: `Site "${job.site_id}" is not a requesting site of the organisation in force: configure it, then retry.` };
  if (!options.acceptNewEndpoint && !sameEndpoint(job.endpoint, site.delivery)) {
    return { ok: false, reason: `The delivery address of site "${job.site_id}" changed since the report was signed: check the new address, then retry (the retry uses it).` };
  }
  if (!document) return { ok: false, reason: `The signed ${job.document_kind.toUpperCase()} document of this report is missing.` };
  if (job.document_kind === 'hl7') {
    const pid = hl7PatientIdentity(document.bytes);
    if (!pid) return { ok: false, reason: 'The HL7 message has no patient identifier (PID-3).' };
    if (pid.patientId !== teleFile.patient_id || (pid.issuer !== '' && pid.issuer !== teleFile.issuer)) {
      return { ok: false, reason: "The patient identifier in the HL7 message is not the tele-file's: the message was not sent." };
    }
    return { ok: true, site, identity: null };
  }
  let identity: DocumentIdentity;
  try {
    identity = readDocumentIdentity(document.bytes);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (identity.patientId !== teleFile.patient_id || identity.issuer !== teleFile.issuer) {
    return { ok: false, reason: `The patient ID or issuer inside the ${job.document_kind.toUpperCase()} document is not the tele-file's: the document was not sent.` };
  }
  return { ok: true, site, identity };
}
