import pino, { type Logger } from 'pino';

/**
 * The hub's logger. Request lines carry method, path without its query string
 * (queries will hold patient names once DICOMweb lands), status and timing;
 * credentials are redacted. PHI must never be logged at info level.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'vigie-hub' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.code', '*.token'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
