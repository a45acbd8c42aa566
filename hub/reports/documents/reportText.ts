import type { CommunicationMeans, CriticalFinding, ReportSection } from '../../../core/api/reports.js';
import type { ReportDocumentInput } from './documentInput.js';
import { frenchDate, frenchTime } from './parisTime.js';

/** The French wording shared by the SR, the PDF and the HL7 message, so the three never say different things. */
export const SECTION_TITLES: Record<ReportSection, string> = {
  indication: 'Indication',
  technique: 'Technique',
  findings: 'Résultats',
  conclusion: 'Conclusion',
};

const MEANS: Record<CommunicationMeans, string> = {
  phone: 'par téléphone',
  'in-person': 'de vive voix',
  'secure-message': 'par messagerie sécurisée',
};

/** "Compte rendu" or "Addendum au compte rendu du 22/11/2026". */
export function documentTitle(input: ReportDocumentInput): string {
  if (input.report.kind === 'addendum') {
    return input.predecessor ? `Addendum au compte rendu du ${frenchDate(input.predecessor.signedAt)}` : 'Addendum au compte rendu';
  }
  return 'Compte rendu';
}

/**
 * "Résultat critique communiqué à Dr Y par téléphone le 23/11/2026 à 03:05
 * (heure de Paris)." — null when no critical finding is flagged. Signing
 * refuses a flagged finding without whom/how/when, so the fallbacks only
 * guard against a caller that skipped that check.
 */
export function criticalFindingSentence(critical: CriticalFinding): string | null {
  if (!critical.flagged) return null;
  const { to, means, at } = critical.communication;
  const when = at !== null && !Number.isNaN(Date.parse(at)) ? new Date(at) : null;
  const parts = [`Résultat critique communiqué à ${to.trim() || '(destinataire non précisé)'}`];
  if (means !== null) parts.push(MEANS[means]);
  if (when) parts.push(`le ${frenchDate(when)} à ${frenchTime(when)} (heure de Paris)`);
  return `${parts.join(' ')}.`;
}

/** "Signé électroniquement par Dr X le 23/11/2026 à 03:12". */
export function signatureSentence(input: ReportDocumentInput): string {
  const { signer, signedAt } = input.report;
  return `Signé électroniquement par ${signer.displayName} le ${frenchDate(signedAt)} à ${frenchTime(signedAt)}`;
}

/** Newlines normalised and trailing blanks dropped; '' when the section is empty. */
export function sectionText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}
