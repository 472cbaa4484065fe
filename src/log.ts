import type { Logger } from './oci/logger.js';

export type { Logger } from './oci/logger.js';
export { silentLogger } from './oci/logger.js';

/** A logger for runs outside GitHub (the demo, scripts): plain lines on stderr; debug only when asked. */
export function consoleLogger(options: { debug?: boolean } = {}): Logger {
  return {
    debug: (message) => {
      if (options.debug) console.error(`debug: ${message}`);
    },
    info: (message) => console.error(message),
    warning: (message) => console.error(`warning: ${message}`),
    group: async (title, work) => {
      console.error(`== ${title}`);
      return work();
    },
    secret: () => {},
  };
}
