import type { Readable } from 'node:stream';

/** One HTTP exchange, as every part of the client sees it; only transport.ts turns these into undici calls. */
export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A Buffer can be sent again on a retry and a stream factory is called once per attempt; a plain stream is sent once. */
  readonly body?: Buffer | Readable | (() => Readable);
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** The URL that answered, after any redirects. */
  readonly url: URL;
  /** A header's value (several values joined with ", "), by case-insensitive name. */
  header(name: string): string | undefined;
  /** Every value of a header sent more than once (WWW-Authenticate can be). */
  headerValues(name: string): readonly string[];
  /** The whole body; refuses one larger than `limit` bytes (manifests are capped at 4 MiB by registries). */
  bytes(limit?: number): Promise<Buffer>;
  /** The body as a stream, for blobs. */
  stream(): Readable;
  /** Reads and drops the body so the connection can be reused. */
  discard(): Promise<void>;
}

/** Sends one request and returns the response, whatever its status; rejects only when no response came. */
export type Send = (request: HttpRequest) => Promise<HttpResponse>;
