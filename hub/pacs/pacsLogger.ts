/**
 * The logging the PACS layer needs: a structural subset of pino's `Logger`,
 * so the hub passes its pino logger and tests pass `silentPacsLogger`.
 *
 * Patient names and IDs never go into a log line at info level or above
 * (ARCHITECTURE "never lets PHI into a log line"): this layer logs counts,
 * UIDs at debug level, and reasons, never a patient attribute.
 */
export interface PacsLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = (): void => undefined;

export const silentPacsLogger: PacsLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
