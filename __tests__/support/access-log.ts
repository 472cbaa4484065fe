import type { Readable } from 'node:stream';

export interface AccessLogEntry {
  readonly method: string;
  /** The request path without its query string. */
  readonly path: string;
  readonly status: number;
}

/** The request lines a registry has printed so far, read from its Apache combined-format access log. */
export interface AccessLog {
  entries(): readonly AccessLogEntry[];
  reset(): void;
  /** Resolves once the log shows a request carrying `?settle=<marker>`; such requests are never entries. */
  waitForMarker(marker: string, timeoutMs: number): Promise<void>;
}

// `127.0.0.1 - - [23/Nov/2026:13:59:52 +0000] "PUT /v2/a/manifests/x HTTP/1.1" 400 82 "" "curl/7.88.1"`
const requestLine = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;

/** The path of the requests `waitForMarker` looks for. */
export const settlePath = '/v2/';

export function followAccessLog(stream: Readable): AccessLog {
  let entries: AccessLogEntry[] = [];
  let partial = '';
  const markersSeen = new Set<string>();
  const waiters = new Map<string, () => void>();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseLine(line);
      if (parsed === undefined) continue;
      if (parsed.marker === undefined) {
        entries.push(parsed.entry);
        continue;
      }
      markersSeen.add(parsed.marker);
      waiters.get(parsed.marker)?.();
    }
  });
  return {
    entries: () => [...entries],
    reset: () => {
      entries = [];
    },
    waitForMarker: (marker, timeoutMs) => waitFor(marker, timeoutMs, markersSeen, waiters),
  };
}

function waitFor(
  marker: string,
  timeoutMs: number,
  markersSeen: Set<string>,
  waiters: Map<string, () => void>,
): Promise<void> {
  if (markersSeen.delete(marker)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(marker);
      reject(new Error(`the registry's access log never showed the settle request ${marker} (is accesslog enabled?)`));
    }, timeoutMs);
    waiters.set(marker, () => {
      clearTimeout(timer);
      waiters.delete(marker);
      markersSeen.delete(marker);
      resolve();
    });
  });
}

function parseLine(line: string): { readonly entry: AccessLogEntry; readonly marker?: string } | undefined {
  const match = requestLine.exec(line);
  if (match === null) return undefined;
  const [, method = '', uri = '', status = '0'] = match;
  const queryStart = uri.indexOf('?');
  const path = queryStart < 0 ? uri : uri.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : uri.slice(queryStart + 1));
  const marker = path === settlePath ? (query.get('settle') ?? undefined) : undefined;
  return { entry: { method, path, status: Number(status) }, ...(marker === undefined ? {} : { marker }) };
}
