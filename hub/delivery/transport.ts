import type { DocumentIdentity } from './documentIdentity.js';

/**
 * One way to a site's PACS. Every method either answers or throws a
 * DeliveryError whose message a person can act on.
 */
export interface DeliveryTransport {
  /** Where, for messages: a URL or AE@host:port (never credentials). */
  readonly description: string;
  /** Is this very instance (SOP Instance UID) already at the site? The arrival check and the "already sent" check. */
  hasInstance(document: DocumentIdentity): Promise<boolean>;
  /** Patient IDs under which the site holds this study (empty: the study is not there). */
  studyPatientIds(studyInstanceUid: string): Promise<string[]>;
  /** Sends the Part-10 bytes; resolves once the site answered success. */
  send(bytes: Uint8Array, document: DocumentIdentity): Promise<void>;
}
