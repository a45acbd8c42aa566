/**
 * A delivery failure in words a person can act on (shown to admins and on the
 * report view). `permanent` failures stop the job at once; the others retry.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** The network error of a fetch or socket, turned into a sentence naming the address. */
export function describeNetworkError(error: unknown, where: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  // dcmjs-dimse reports socket errors as text only ("-> Connection error: connect ECONNREFUSED …"): the code is read from it then.
  const text = error instanceof Error ? error.message : String(error);
  const code =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof (error as { code?: unknown })?.code === 'string'
        ? (error as { code: string }).code
        : /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/.exec(text)?.[1];
  const name = (error as { name?: unknown } | undefined)?.name;
  switch (code) {
    case 'ECONNREFUSED':
      return new DeliveryError(`The site's PACS does not answer (connection refused at ${where}).`, false, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DeliveryError(`The site's PACS address cannot be resolved (${where}): check the site's delivery endpoint.`, false, { cause: error });
    case 'ECONNRESET':
    case 'EPIPE':
      return new DeliveryError(`The site's PACS closed the connection (${where}).`, false, { cause: error });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DeliveryError(`The site's PACS cannot be reached (${where}, ${code}): check the network link.`, false, { cause: error });
    default:
      break;
  }
  if (name === 'TimeoutError' || name === 'AbortError') return new DeliveryError(`The site's PACS did not answer in time (${where}).`, false, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`Delivery to ${where} failed: ${message}`, false, { cause: error });
}
