// pino, with phone numbers masked in every log line.
import pino from 'pino';
import { maskPhonesInText } from './privacy.ts';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      hooks: {
        // Mask at the last moment so no caller can forget it.
        streamWrite: (line) => maskPhonesInText(line),
      },
      redact: {
        paths: [
          'phone',
          '*.phone',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          // The webchat visitor's credential, wherever request headers get logged.
          'headers["x-visitor-secret"]',
          '*.headers["x-visitor-secret"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
