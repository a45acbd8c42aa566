// Sites of a regional on-call imaging organisation (ANAP, "Organisations
// régionales"): requesting sites send images, pivot sites have radiologists on
// call, providers are private teleradiology companies, reference sites hold a
// subspecialty on call (neuroradiology first).
import { z } from 'zod';
import { type DomainError, domainError, err, ok, type Result } from './errors.js';

export const SITE_KINDS = ['requesting', 'pivot', 'provider', 'reference'] as const;
export const SiteKind = z.enum(SITE_KINDS);
export type SiteKind = z.infer<typeof SiteKind>;

export const SUBSPECIALTIES = ['neuroradiology'] as const;
export const Subspecialty = z.enum(SUBSPECIALTIES);
export type Subspecialty = z.infer<typeof Subspecialty>;

/** Stable, URL-safe identifier chosen by the admin, e.g. `ch-montdidier`. */
export const SiteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'A site id is lowercase letters, digits and hyphens (e.g. ch-montdidier).' });
export type SiteId = z.infer<typeof SiteId>;

// PS3.5 6.2 "AE": at most 16 characters of the default repertoire, no
// backslash, no control characters; leading and trailing spaces are not
// significant, so they are trimmed before comparison.
export const AeTitle = z
  .string()
  .trim()
  .min(1, { message: 'An AE title cannot be empty.' })
  .max(16, { message: 'An AE title has at most 16 characters (DICOM PS3.5).' })
  .regex(/^[\x20-\x5b\x5d-\x7e]+$/, { message: 'An AE title uses printable ASCII without a backslash (DICOM PS3.5).' });

// PS3.5 "LO": at most 64 characters, no backslash (the value separator).
const LongString = z
  .string()
  .trim()
  .min(1)
  .max(64, { message: 'At most 64 characters (DICOM LO).' })
  .refine((s) => !s.includes('\\'), { message: 'No backslash (DICOM LO).' });

/** How the pivot PACS recognises images from this site. */
export const PacsIdentity = z.object({
  /** The AE title the site's modality or PACS calls the pivot PACS with. */
  callingAeTitle: AeTitle,
  /** InstitutionName (0008,0080) as the site's modalities write it. */
  institutionName: LongString,
  /**
   * IssuerOfPatientID (0010,0021) of the site's patient IDs. Patient identity is
   * namespaced by it (patientIdentity.ts), and it is the default when a study
   * carries none.
   */
  issuerOfPatientId: LongString,
});
export type PacsIdentity = z.infer<typeof PacsIdentity>;

/** Where signed reports go back to (delivery, a later issue). */
export const DeliveryEndpoint = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dicomweb'), stowUrl: z.url({ protocol: /^https?$/, message: 'A STOW-RS URL starts with https:// or http://.' }) }),
  z.object({
    kind: z.literal('dimse'),
    calledAeTitle: AeTitle,
    host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, { message: 'A host name or IP address.' }),
    port: z.number().int().min(1).max(65535),
  }),
]);
export type DeliveryEndpoint = z.infer<typeof DeliveryEndpoint>;

const SiteName = z.string().trim().min(1).max(120);

export const RequestingSite = z.object({
  kind: z.literal('requesting'),
  id: SiteId,
  name: SiteName,
  pacs: PacsIdentity,
  delivery: DeliveryEndpoint,
  /** The site takes HL7 v2 result messages (ORU^R01) besides the DICOM documents; absent: DICOM only. */
  hl7Results: z.boolean().optional(),
});
export const PivotSite = z.object({ kind: z.literal('pivot'), id: SiteId, name: SiteName });
export const ProviderSite = z.object({ kind: z.literal('provider'), id: SiteId, name: SiteName });
export const ReferenceSite = z.object({
  kind: z.literal('reference'),
  id: SiteId,
  name: SiteName,
  subspecialties: z.array(Subspecialty).min(1),
});

export const Site = z.discriminatedUnion('kind', [RequestingSite, PivotSite, ProviderSite, ReferenceSite]);
export type Site = z.infer<typeof Site>;
export type RequestingSite = z.infer<typeof RequestingSite>;
export type PivotSite = z.infer<typeof PivotSite>;
export type ProviderSite = z.infer<typeof ProviderSite>;
export type ReferenceSite = z.infer<typeof ReferenceSite>;

/** Institution names are typed by hand on each modality: compare without case, accents or spacing. */
export function normaliseInstitutionName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

export type SiteErrorCode = 'duplicate-site-id' | 'duplicate-calling-ae-title' | 'duplicate-institution-name';

/**
 * Identification must be unambiguous: two requesting sites with the same AE
 * title or institution name would send one site's patients to the other's
 * readers and reports.
 */
export function validateSites(sites: readonly Site[]): Result<readonly Site[], DomainError<SiteErrorCode>[]> {
  const errors: DomainError<SiteErrorCode>[] = [];
  const ids = new Set<string>();
  const aeTitles = new Map<string, string>();
  const institutions = new Map<string, string>();
  for (const site of sites) {
    if (ids.has(site.id)) {
      errors.push(domainError('duplicate-site-id', `Identifiant de site « ${site.id} » en double.`, `Site id "${site.id}" is used twice.`, { siteId: site.id }));
    }
    ids.add(site.id);
    if (site.kind !== 'requesting') continue;
    const ae = site.pacs.callingAeTitle.trim();
    const aeOwner = aeTitles.get(ae);
    if (aeOwner !== undefined) {
      errors.push(
        domainError(
          'duplicate-calling-ae-title',
          `Les sites « ${aeOwner} » et « ${site.id} » ont le même AE title appelant « ${ae} » : on ne saurait pas d'où viennent les images.`,
          `Sites "${aeOwner}" and "${site.id}" share the calling AE title "${ae}": images could not be told apart.`,
          { siteId: site.id, aeTitle: ae },
        ),
      );
    } else aeTitles.set(ae, site.id);
    const institution = normaliseInstitutionName(site.pacs.institutionName);
    const institutionOwner = institutions.get(institution);
    if (institutionOwner !== undefined) {
      errors.push(
        domainError(
          'duplicate-institution-name',
          `Les sites « ${institutionOwner} » et « ${site.id} » ont le même nom d'établissement DICOM « ${site.pacs.institutionName} ».`,
          `Sites "${institutionOwner}" and "${site.id}" share the DICOM institution name "${site.pacs.institutionName}".`,
          { siteId: site.id },
        ),
      );
    } else institutions.set(institution, site.id);
  }
  return errors.length > 0 ? err(errors) : ok(sites);
}

/** What the pivot PACS knows about the sender of a study. */
export type SenderIdentity = { readonly callingAeTitle?: string | undefined; readonly institutionName?: string | undefined };

export type SiteMatch = { readonly site: RequestingSite; readonly matchedBy: 'calling-ae-title' | 'institution-name' };

/**
 * The calling AE title is configured on the network link and wins; the
 * institution name, typed on each modality, is only a fallback when the AE
 * title is missing or unknown (e.g. a study forwarded by another PACS).
 */
export function findRequestingSite(sites: readonly Site[], sender: SenderIdentity): SiteMatch | undefined {
  const requesting = sites.filter((s): s is RequestingSite => s.kind === 'requesting');
  const ae = sender.callingAeTitle?.trim();
  if (ae) {
    const byAe = requesting.find((s) => s.pacs.callingAeTitle.trim() === ae);
    if (byAe) return { site: byAe, matchedBy: 'calling-ae-title' };
  }
  const institution = sender.institutionName ? normaliseInstitutionName(sender.institutionName) : '';
  if (institution) {
    const byName = requesting.find((s) => normaliseInstitutionName(s.pacs.institutionName) === institution);
    if (byName) return { site: byName, matchedBy: 'institution-name' };
  }
  return undefined;
}
