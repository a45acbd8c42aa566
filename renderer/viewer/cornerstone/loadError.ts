const HTTP_REASONS: Record<number, string> = {
  400: 'the PACS cannot send this image (it refused the request)',
  401: 'the session has ended (sign in again)',
  403: 'the hub refused access to this study',
  404: 'the PACS does not have this image',
  406: 'the PACS cannot send this image in a form the viewer accepts',
  502: 'the PACS sent an invalid answer',
  503: 'the PACS is not responding',
  504: 'the PACS is not responding',
};

function statusOf(error: object): number | null {
  const candidates = [
    (error as { status?: unknown }).status,
    (error as { request?: { status?: unknown } }).request?.status,
    (error as { xhr?: { status?: unknown } }).xhr?.status,
  ];
  for (const value of candidates) if (typeof value === 'number' && value > 0) return value;
  return null;
}

/**
 * A short reason a person can act on, from whatever the image loader threw:
 * an HTTP failure (XHR object with a status), a decoder error, or a thrown
 * string. Never empty: "never show a wrong image silently" starts with
 * saying why nothing is shown.
 */
export function describeLoadError(error: unknown): string {
  if (error === null || error === undefined) return 'unknown error while loading the image';
  if (typeof error === 'string') return error;
  if (typeof error === 'object') {
    const status = statusOf(error);
    if (status !== null) return `${HTTP_REASONS[status] ?? 'the hub answered an error'} (HTTP ${status})`;
    const nested = (error as { error?: unknown }).error;
    if (nested !== undefined && nested !== error) return describeLoadError(nested);
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message.trim() !== '') return message.trim().slice(0, 300);
  }
  return 'unknown error while loading the image';
}
