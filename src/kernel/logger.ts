// pino, with phone numbers masked and credentials removed from every log line: request lines carry
// no headers, and the values of credential-like query keys (token, secret, ticket, password…) are
// replaced, both in the request serializer and, as a safety net, in the final line.
import pino from 'pino';
import { maskPhonesInText } from './privacy.ts';

export type Logger = pino.Logger;

const CENSOR = '[redacted]';

/** Query keys whose values are credentials wherever they appear in a URL. */
const credentialQuery =
  /([?&](?:[a-z_]*token|[a-z_]*secret|ticket|password|passwd|api_?key|signature|sig)=)[^&#\s"]*/gi;

/** The URL with the values of credential query keys replaced. */
export function scrubUrl(url: string): string {
  return url.replace(credentialQuery, `$1${CENSOR}`);
}

/** What a request line says: never its headers (Authorization, Cookie, X-Visitor-Secret). */
function requestLine(req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : scrubUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      hooks: {
        // Mask at the last moment so no caller can forget it.
        streamWrite: (line) => scrubUrl(maskPhonesInText(line)),
      },
      serializers: { req: requestLine },
      redact: {
        paths: [
          'phone',
          '*.phone',
          'token',
          '*.token',
          'password',
          '*.password',
          'secret',
          '*.secret',
          'authorization',
          '*.authorization',
          'cookie',
          '*.cookie',
          'headers.authorization',
          'headers.cookie',
          'headers["x-visitor-secret"]',
          'headers["set-cookie"]',
          '*.headers.authorization',
          '*.headers.cookie',
          '*.headers["x-visitor-secret"]',
          '*.headers["set-cookie"]',
        ],
        censor: CENSOR,
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
