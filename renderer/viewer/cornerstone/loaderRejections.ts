/**
 * Cornerstone's image loader leaves some of its own promises without a
 * handler when a frame cannot be fetched or decoded (an HTTP failure object,
 * a decoder error, or nothing at all). The viewer already reports each such
 * image in its cell (IMAGE_LOAD_FAILED, imageVerdicts.ts); these rejections
 * are then only noise that would bury a real error. They are recognised by
 * their shape — an empty reason, an XHR-like object, or an error thrown by the
 * decode worker — marked handled and logged as warnings. Anything else stays
 * an uncaught error.
 */
export function isLoaderRejection(reason: unknown): boolean {
  if (reason === undefined || reason === null) return true;
  if (typeof reason === 'object' && !(reason instanceof Error)) {
    const shape = reason as { request?: unknown; xhr?: unknown; status?: unknown; imageId?: unknown };
    return shape.request !== undefined || shape.xhr !== undefined || typeof shape.status === 'number' || typeof shape.imageId === 'string';
  }
  if (reason instanceof Error) return /decodeImageFrameWorker|decodeTask/.test(reason.stack ?? '');
  return false;
}

export function installLoaderRejectionFilter(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
  const onRejection = (event: PromiseRejectionEvent) => {
    if (!isLoaderRejection(event.reason)) return;
    event.preventDefault();
    console.warn('image loader: a failed frame (already shown in its cell)', event.reason instanceof Error ? event.reason.message : event.reason);
  };
  target.addEventListener('unhandledrejection', onRejection);
  return () => target.removeEventListener('unhandledrejection', onRejection);
}
