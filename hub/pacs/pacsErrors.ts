/**
 * Expected errors of the PACS layer, each one a person or the caller can act
 * on (STYLE "an error taxonomy"). Every message names the PACS by a URL
 * without credentials and without query string (QIDO queries carry patient
 * names), and carries a French text for the UI in `messages.fr`.
 */

export type PacsErrorCode =
  | 'PACS_UNAVAILABLE'
  | 'PACS_NOT_FOUND'
  | 'PACS_BAD_REQUEST'
  | 'PACS_REQUEST_FAILED'
  | 'PACS_BAD_RESPONSE'
  | 'PACS_BAD_CURSOR'
  | 'PACS_NOT_RENDERABLE';

export abstract class PacsError extends Error {
  abstract readonly code: PacsErrorCode;
  /** The same message in French and English, for the UI. */
  abstract readonly messages: { fr: string; en: string };
}

/** Why the PACS could not be reached. */
export type PacsUnavailableReason = 'refused' | 'timeout' | 'unknown-host' | 'reset' | 'gateway' | 'network';

const REASON_TEXT: Record<PacsUnavailableReason, { fr: string; en: string }> = {
  refused: { fr: 'connexion refusée (le serveur est-il démarré ?)', en: 'connection refused (is the server running?)' },
  timeout: { fr: 'pas de réponse dans le délai imparti', en: 'no answer within the time limit' },
  'unknown-host': { fr: 'nom d’hôte inconnu', en: 'unknown host name' },
  reset: { fr: 'connexion interrompue', en: 'connection reset' },
  gateway: { fr: 'le serveur ou son mandataire est indisponible', en: 'the server or its proxy is unavailable' },
  network: { fr: 'erreur réseau', en: 'network error' },
};

/**
 * The PACS does not answer (down, unreachable, too slow, or its gateway says
 * 502/503/504). Transient: retry later; the ingestion cursor is unchanged.
 */
export class PacsUnavailableError extends PacsError {
  override readonly name = 'PacsUnavailableError';
  readonly code = 'PACS_UNAVAILABLE';
  readonly messages: { fr: string; en: string };

  constructor(
    /** The URL called, without credentials and without query string. */
    readonly url: string,
    readonly reason: PacsUnavailableReason,
    /** Technical detail (error code, HTTP status, delay). */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    const text = REASON_TEXT[reason];
    const en = `The pivot PACS is not responding (${url}): ${text.en}; ${detail}.`;
    super(en, options);
    this.messages = { fr: `Le PACS pivot ne répond pas (${url}) : ${text.fr} ; ${detail}.`, en };
  }
}

/** The study, series, instance or frame does not exist in the PACS. */
export class PacsNotFoundError extends PacsError {
  override readonly name = 'PacsNotFoundError';
  readonly code = 'PACS_NOT_FOUND';
  readonly messages: { fr: string; en: string };

  constructor(
    /** What was looked for, e.g. "study 1.2.3" (UIDs only, never a patient attribute). */
    readonly what: string,
    readonly url?: string,
  ) {
    const en = `The pivot PACS has no ${what}${url === undefined ? '' : ` (${url})`}.`;
    super(en);
    this.messages = { fr: `Le PACS pivot ne contient pas : ${what}.`, en };
  }
}

/** The request itself is wrong: an illegal UID, a frame number out of range, a bad query. */
export class PacsBadRequestError extends PacsError {
  override readonly name = 'PacsBadRequestError';
  readonly code = 'PACS_BAD_REQUEST';
  readonly messages: { fr: string; en: string };

  constructor(
    en: string,
    fr: string,
    readonly url?: string,
  ) {
    super(en);
    this.messages = { fr, en };
  }
}

/** The PACS answered with an unexpected HTTP status (401, 403, 500…). */
export class PacsRequestError extends PacsError {
  override readonly name = 'PacsRequestError';
  readonly code = 'PACS_REQUEST_FAILED';
  readonly messages: { fr: string; en: string };

  constructor(
    readonly url: string,
    readonly status: number,
    /** Start of the answer's body, for the log. */
    readonly body: string,
  ) {
    const hint =
      status === 401 || status === 403
        ? { fr: 'vérifier l’identifiant et le mot de passe du PACS dans la configuration', en: 'check the PACS user name and password in the configuration' }
        : { fr: 'voir le journal du PACS', en: 'see the PACS log' };
    const en = `The pivot PACS answered HTTP ${status} to ${url} (${hint.en}).`;
    super(en);
    this.messages = { fr: `Le PACS pivot a répondu HTTP ${status} à ${url} (${hint.fr}).`, en };
  }
}

/** The PACS answered 2xx with something this layer cannot read (bad JSON, unexpected shape, broken multipart). */
export class PacsResponseError extends PacsError {
  override readonly name = 'PacsResponseError';
  readonly code = 'PACS_BAD_RESPONSE';
  readonly messages: { fr: string; en: string };

  constructor(
    readonly url: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    const en = `The pivot PACS sent an answer that cannot be read (${url}): ${problem}.`;
    super(en, options);
    this.messages = { fr: `Le PACS pivot a envoyé une réponse illisible (${url}) : ${problem}.`, en };
  }
}

/**
 * The saved ingestion cursor does not belong to this adapter (the
 * configuration changed from folder to DICOMweb, or from Orthanc's change
 * feed to QIDO polling) or is corrupt. The caller should take
 * `headCursor()` and run `reconcile(since)` to cover the gap.
 */
export class PacsCursorError extends PacsError {
  override readonly name = 'PacsCursorError';
  readonly code = 'PACS_BAD_CURSOR';
  readonly messages: { fr: string; en: string };

  constructor(readonly problem: string) {
    const en = `The saved PACS cursor cannot be used: ${problem}. Start from headCursor() and reconcile.`;
    super(en);
    this.messages = { fr: `Le curseur PACS enregistré est inutilisable : ${problem}.`, en };
  }
}

/**
 * No image can be rendered here for this instance: compressed pixel data the
 * hub does not decode (PITFALLS: never decode in the hub or in Orthanc), or
 * an adapter without a rendering service. The viewer draws the thumbnail
 * itself from the frames.
 */
export class PacsNotRenderableError extends PacsError {
  override readonly name = 'PacsNotRenderableError';
  readonly code = 'PACS_NOT_RENDERABLE';
  readonly messages: { fr: string; en: string };

  constructor(
    /** Why, e.g. "instance 1.2.3 is stored as JPEG 2000" (UIDs only). */
    readonly why: string,
    fr: string,
  ) {
    super(`No rendered image: ${why}.`);
    this.messages = { fr: `Pas d’image rendue : ${fr}.`, en: `No rendered image: ${why}.` };
  }
}
