// A patient is identified by an issuer and an ID within it (DICOM IssuerOfPatientID
// + PatientID, HL7 CX.4 + CX.1). Each requesting site numbers its own
// patients, so "12345" at CH Montdidier and "12345" at CH Compiègne are two
// people: identity never crosses issuers, and nothing here merges patients.
import { z } from 'zod';
import { type DomainError, domainError, err, ok, type Result } from './errors.js';

declare const brand: unique symbol;
/** Built only by patientIdentity(): issuer and ID are trimmed and non-empty. */
export type PatientIdentity = { readonly issuer: string; readonly patientId: string; readonly [brand]: true };

// DICOM LO: at most 64 characters, no backslash.
const LoValue = z.string().max(64).refine((s) => !s.includes('\\'));

export type PatientIdentityErrorCode = 'missing-issuer' | 'missing-patient-id' | 'invalid-value';

export function patientIdentity(issuer: string, patientId: string): Result<PatientIdentity, DomainError<PatientIdentityErrorCode>> {
  // DICOM pads values with trailing spaces; leading and trailing spaces are not significant for LO.
  const i = issuer.trim();
  const p = patientId.trim();
  if (!i) {
    return err(
      domainError(
        'missing-issuer',
        "Émetteur de l'identifiant patient manquant : sans lui, deux patients de sites différents pourraient être confondus.",
        'Issuer of patient ID is missing: without it, patients of two sites could be confused.',
      ),
    );
  }
  if (!p) return err(domainError('missing-patient-id', 'Identifiant patient manquant.', 'Patient ID is missing.'));
  if (!LoValue.safeParse(i).success || !LoValue.safeParse(p).success) {
    return err(
      domainError('invalid-value', 'Identifiant patient ou émetteur invalide (64 caractères au plus, sans barre oblique inverse).', 'Invalid patient ID or issuer (at most 64 characters, no backslash).'),
    );
  }
  return ok({ issuer: i, patientId: p } as PatientIdentity);
}

/**
 * The identity of a patient in a study received from a requesting site. Many
 * modalities leave IssuerOfPatientID empty: then, and only then, the site's
 * configured issuer applies, and `issuerSource` says so for the audit trail.
 * A study that names its own issuer keeps it, even if it differs from the
 * site's (a shared identity domain across a hospital group).
 */
export function patientIdentityFromStudy(
  tags: { readonly patientId?: string | undefined; readonly issuerOfPatientId?: string | undefined },
  siteIssuer: string,
): Result<{ identity: PatientIdentity; issuerSource: 'study' | 'site-default' }, DomainError<PatientIdentityErrorCode>> {
  const fromStudy = tags.issuerOfPatientId?.trim() ?? '';
  const issuerSource = fromStudy ? ('study' as const) : ('site-default' as const);
  const identity = patientIdentity(fromStudy || siteIssuer, tags.patientId ?? '');
  return identity.ok ? ok({ identity: identity.value, issuerSource }) : identity;
}

/** Same patient only with the same issuer and the same ID (case-sensitive, as DICOM compares LO). */
export function samePatient(a: PatientIdentity, b: PatientIdentity): boolean {
  return a.issuer === b.issuer && a.patientId === b.patientId;
}

/**
 * A string key for maps and database columns, unambiguous whatever the
 * values contain (JSON quotes them, so "A|B" + "C" never equals "A" + "B|C").
 */
export function patientKey(identity: PatientIdentity): string {
  return JSON.stringify([identity.issuer, identity.patientId]);
}
