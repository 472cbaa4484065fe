import * as core from '@actions/core';
import type { Logger } from '../log.js';

/** The Logger over the runner's workflow commands: debug lines, annotations, collapsible groups and masks. */
export function actionsLogger(): Logger {
  return {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    group: (title, work) => core.group(title, work),
    secret: (value) => {
      // The runner masks line by line, so a multi-line secret (a key, an .npmrc) is masked by each of its lines too.
      // An empty mask would be a no-op for the runner, and an `::add-mask::` line with nothing after it is noise.
      const parts = new Set([value, ...value.split(/\r?\n/).map((line) => line.trim())]);
      for (const part of parts) if (part !== '') core.setSecret(part);
    },
  };
}
