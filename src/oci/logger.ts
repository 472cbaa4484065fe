/** Where the registry client reports progress; callers pass one in (the runner edge implements it over @actions/core). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  /** Runs `work` inside a collapsible group of log lines. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** Registers a value that must never appear in logs (a token, a password). */
  secret(value: string): void;
}

/** A logger that drops everything; the default for callers that pass none. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warning: () => {},
  group: (_title, work) => work(),
  secret: () => {},
};
