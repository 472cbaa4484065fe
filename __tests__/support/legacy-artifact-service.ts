import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

/**
 * A fake of the legacy Actions artifact service: the one GitHub Enterprise Server runs, which upload-artifact@v3 and
 * @actions/artifact 1.x speak (actions/toolkit, branch actions/artifact-1.1.3, packages/artifact/src/internal:
 * upload-http-client.ts, download-http-client.ts, utils.ts). It answers exactly the requests the 1.x client makes, so
 * that the real client runs against it unmodified:
 *
 *   POST  {ACTIONS_RUNTIME_URL}_apis/pipelines/workflows/{run}/artifacts?api-version=6.0-preview  create (or get)
 *   PUT   {fileContainerResourceUrl}?itemPath={name}/{path}     one chunk: Content-Range bytes first-last/total,
 *         application/octet-stream, [Content-Encoding: gzip + x-tfs-filelength], x-actions-results-md5
 *   PATCH {ACTIONS_RUNTIME_URL}_apis/pipelines/workflows/{run}/artifacts?api-version=6.0-preview&artifactName={name}
 *         {Size}: finalize
 *   GET   {ACTIONS_RUNTIME_URL}_apis/pipelines/workflows/{run}/artifacts?api-version=6.0-preview  the run's artifacts
 *   GET   {fileContainerResourceUrl}?itemPath={name}             the items of an artifact: folders and files
 *   GET   {contentLocation}                                     one file, gzip-encoded if it was sent so and the
 *         request accepts gzip (the client gunzips on Content-Encoding: gzip)
 *
 * A run has one file container (upload-specification.ts: "if multiple artifacts are uploaded, they will all be saved
 * in the same container"); an artifact is a top-level folder of it. Creating a name the run has returns the same
 * artifact, and a file sent again to the same itemPath replaces the earlier one once complete: the "file share" that
 * upload-artifact@v3's README describes. Nothing can be deleted.
 */
export interface LegacyArtifactService {
  /** What ACTIONS_RUNTIME_URL points at, with the trailing slash the client relies on. */
  readonly url: string;
  /** What a runner gives a job of the run: ACTIONS_RUNTIME_URL, a token of its own, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT. */
  envFor(job: LegacyArtifactJob): Record<string, string>;
  /** The finalized artifacts of a run: name → (path inside the artifact → content, uncompressed). */
  artifacts(runId: string): Readonly<Record<string, Readonly<Record<string, Buffer>>>>;
  /** Stores a finalized artifact holding `files` (path inside it → content), as a workflow's step would. */
  addArtifact(runId: string, name: string, files: Readonly<Record<string, string | Buffer>>): void;
  /** Answers the next `times` requests of `operation` with `status` (retrying them is the client's business). */
  fail(operation: LegacyOperation, status: number, times?: number): void;
  /** Every request since start or the last resetRequests(), in arrival order. */
  requests(): readonly LegacyRequest[];
  resetRequests(): void;
  stop(): Promise<void>;
}

export interface LegacyArtifactJob {
  readonly runId: string;
  readonly jobId: string;
  readonly attempt?: number;
}

export type LegacyOperation =
  'CreateArtifact' | 'UploadChunk' | 'FinalizeArtifact' | 'ListArtifacts' | 'ListItems' | 'DownloadItem' | 'Unknown';

export interface LegacyRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The headers the protocol defines (never Authorization). */
  readonly headers: Readonly<Record<string, string>>;
  readonly operation: LegacyOperation;
  status: number;
}

const apiVersion = '6.0-preview';
// path-and-artifact-name-validation.ts: the characters 1.x refuses in a name; the service answers them with a 400.
const invalidNameCharacters = /[":<>|*?\r\n\\/]/;
const loggedHeaders = [
  'accept',
  'accept-encoding',
  'content-type',
  'content-range',
  'content-encoding',
  'x-tfs-filelength',
  'x-actions-results-md5',
];

interface Item {
  readonly path: string;
  /** As sent: gzip when `gzip`. */
  readonly stored: Buffer;
  readonly gzip: boolean;
  readonly plain: Buffer;
}

interface PendingItem {
  readonly path: string;
  readonly total: number;
  readonly gzip: boolean;
  readonly fileLength: number;
  readonly chunks: Map<number, Buffer>;
}

interface Artifact {
  readonly name: string;
  readonly items: Map<string, Item>;
  readonly pending: Map<string, PendingItem>;
  finalized: boolean;
  size: number;
}

interface Run {
  readonly id: string;
  readonly containerId: number;
  readonly artifacts: Map<string, Artifact>;
}

interface State {
  origin: string;
  readonly prefix: string;
  readonly tokens: Map<string, LegacyArtifactJob>;
  readonly runs: Map<string, Run>;
  readonly containers: Map<number, Run>;
  readonly faults: { operation: LegacyOperation; status: number; times: number }[];
  log: LegacyRequest[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `prefix` is the path of ACTIONS_RUNTIME_URL: GHES hands runners `/_services/pipelines/<hash>/`. */
export async function startLegacyArtifactService(
  prefix = '/_services/pipelines/FakeLegacyArtifacts/',
): Promise<LegacyArtifactService> {
  const state: State = {
    origin: '',
    prefix,
    tokens: new Map(),
    runs: new Map(),
    containers: new Map(),
    faults: [],
    log: [],
  };
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      send(response, 500, { message: `the fake failed: ${String(error)}` });
    });
  });
  state.origin = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  let stopped: Promise<void> | undefined;
  return {
    url: `${state.origin}${prefix}`,
    envFor: (job) => {
      const token = `legacy-${randomBytes(12).toString('hex')}`;
      state.tokens.set(token, job);
      return {
        ACTIONS_RUNTIME_URL: `${state.origin}${prefix}`,
        ACTIONS_RUNTIME_TOKEN: token,
        GITHUB_RUN_ID: job.runId,
        GITHUB_RUN_ATTEMPT: String(job.attempt ?? 1),
      };
    },
    artifacts: (runId) => finalizedArtifacts(state, runId),
    addArtifact: (runId, name, files) => addArtifact(state, runId, name, files),
    fail: (operation, status, times = 1) => {
      state.faults.push({ operation, status, times });
    },
    requests: () => [...state.log],
    resetRequests: () => {
      state.log = [];
    },
    stop: () => (stopped ??= closeServer(server)),
  };
}

function runOf(state: State, runId: string): Run {
  let run = state.runs.get(runId);
  if (run === undefined) {
    run = { id: runId, containerId: 1000 + state.runs.size, artifacts: new Map() };
    state.runs.set(runId, run);
    state.containers.set(run.containerId, run);
  }
  return run;
}

function finalizedArtifacts(state: State, runId: string): Record<string, Record<string, Buffer>> {
  const artifacts = [...(state.runs.get(runId)?.artifacts.values() ?? [])].filter((artifact) => artifact.finalized);
  return Object.fromEntries(
    artifacts.map((artifact) => [
      artifact.name,
      Object.fromEntries(
        [...artifact.items.values()].map((item) => [item.path.slice(artifact.name.length + 1), item.plain]),
      ),
    ]),
  );
}

function addArtifact(
  state: State,
  runId: string,
  name: string,
  files: Readonly<Record<string, string | Buffer>>,
): void {
  const artifact = artifactIn(runOf(state, runId), name);
  for (const [path, content] of Object.entries(files)) {
    const plain = Buffer.from(content);
    artifact.items.set(`${name}/${path}`, { path: `${name}/${path}`, stored: plain, gzip: false, plain });
  }
  artifact.finalized = true;
  artifact.size = [...artifact.items.values()].reduce((sum, item) => sum + item.plain.length, 0);
}

function artifactIn(run: Run, name: string): Artifact {
  let artifact = run.artifacts.get(name);
  if (artifact === undefined) {
    artifact = { name, items: new Map(), pending: new Map(), finalized: false, size: -1 };
    run.artifacts.set(name, artifact);
  }
  return artifact;
}

// -- routing -------------------------------------------------------------------------------------------------------

interface Route {
  readonly operation: LegacyOperation;
  readonly run?: Run;
}

async function handle(state: State, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', state.origin);
  const body = await readBody(request);
  const entry: LegacyRequest = {
    method: request.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: pickHeaders(request.headers),
    operation: 'Unknown',
    status: 0,
  };
  state.log.push(entry);
  try {
    const route = routeOf(state, request.method ?? '', url);
    Object.assign(entry, { operation: route.operation });
    injectFault(state, route.operation);
    const job = authenticate(state, request);
    if (route.run === undefined || route.run.id !== job.runId) {
      throw new HttpError(403, `the token is for run ${job.runId}, not this one`);
    }
    const reply = answer(route.operation, route.run, request, url, body);
    entry.status = reply.status;
    if (Buffer.isBuffer(reply.body)) {
      response.writeHead(reply.status, { 'content-length': reply.body.length, ...reply.headers }).end(reply.body);
    } else send(response, reply.status, reply.body);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    entry.status = error.status;
    send(response, error.status, { $id: '1', message: error.message, typeName: 'FakeLegacyArtifactException' });
  }
}

function routeOf(state: State, method: string, url: URL): Route {
  if (!url.pathname.startsWith(state.prefix)) throw new HttpError(404, `no route for ${method} ${url.pathname}`);
  const rest = url.pathname.slice(state.prefix.length);
  const pipelines = /^_apis\/pipelines\/workflows\/([^/]+)\/artifacts$/.exec(rest);
  if (pipelines !== null) {
    if (url.searchParams.get('api-version') !== apiVersion)
      throw new HttpError(400, `api-version ${apiVersion} is required`);
    const run = runOf(state, decodeURIComponent(pipelines[1] ?? ''));
    const operations: Readonly<Record<string, LegacyOperation>> = {
      POST: 'CreateArtifact',
      PATCH: 'FinalizeArtifact',
      GET: 'ListArtifacts',
    };
    return { operation: operations[method] ?? 'Unknown', run };
  }
  const container = /^_apis\/resources\/Containers\/(\d+)$/.exec(rest);
  const run = container === null ? undefined : state.containers.get(Number(container[1]));
  if (run === undefined) throw new HttpError(404, `no route for ${method} ${url.pathname}`);
  if (method === 'PUT') return { operation: 'UploadChunk', run };
  if (method !== 'GET') return { operation: 'Unknown', run };
  // One URL lists an artifact's items and serves a file: what itemPath names decides, as on the real service.
  const itemPath = url.searchParams.get('itemPath') ?? '';
  const isFile = run.artifacts.get(itemPath.split('/')[0] ?? '')?.items.has(itemPath) ?? false;
  return { operation: isFile ? 'DownloadItem' : 'ListItems', run };
}

function injectFault(state: State, operation: LegacyOperation): void {
  const fault = state.faults.find((candidate) => candidate.operation === operation && candidate.times > 0);
  if (fault === undefined) return;
  fault.times -= 1;
  throw new HttpError(fault.status, `injected ${fault.status} for ${operation}`);
}

function authenticate(state: State, request: IncomingMessage): LegacyArtifactJob {
  const header = request.headers.authorization ?? '';
  const job = header.startsWith('Bearer ') ? state.tokens.get(header.slice('Bearer '.length)) : undefined;
  if (job === undefined) throw new HttpError(401, 'no valid runtime token');
  return job;
}

interface Answer {
  readonly status: number;
  readonly body: object | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

function answer(operation: LegacyOperation, run: Run, request: IncomingMessage, url: URL, body: Buffer): Answer {
  switch (operation) {
    case 'CreateArtifact':
      return { status: 201, body: createArtifact(url, run, body) };
    case 'UploadChunk':
      return { status: 201, body: uploadChunk(run, request, url, body) };
    case 'FinalizeArtifact':
      return { status: 200, body: finalizeArtifact(run, url, body) };
    case 'ListArtifacts': {
      const value = [...run.artifacts.values()].filter((a) => a.finalized).map((a) => artifactJson(url, run, a));
      return { status: 200, body: { count: value.length, value } };
    }
    case 'ListItems':
      return { status: 200, body: listItems(run, url) };
    case 'DownloadItem':
      return downloadItem(run, request, url);
    case 'Unknown':
      throw new HttpError(405, `${request.method} is not served here`);
  }
}

// -- the protocol --------------------------------------------------------------------------------------------------

function containerUrl(url: URL, run: Run): string {
  const prefix = url.pathname.slice(0, url.pathname.indexOf('_apis/'));
  return `${url.origin}${prefix}_apis/resources/Containers/${run.containerId}`;
}

/** contracts.ts ArtifactResponse. */
function artifactJson(url: URL, run: Run, artifact: Artifact): object {
  return {
    containerId: run.containerId,
    size: artifact.size,
    signedContent: null,
    fileContainerResourceUrl: containerUrl(url, run),
    type: 'actions_storage',
    name: artifact.name,
    url: `${containerUrl(url, run)}?itemPath=${encodeURIComponent(artifact.name)}`,
  };
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json === 'object' && json !== null) return json as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'the body is not a JSON object');
}

function createArtifact(url: URL, run: Run, body: Buffer): object {
  const { Type, Name, RetentionDays } = parseJson(body);
  if (Type !== 'actions_storage') throw new HttpError(400, `Type must be actions_storage, not ${String(Type)}`);
  if (typeof Name !== 'string' || Name === '' || invalidNameCharacters.test(Name)) {
    throw new HttpError(400, `The artifact name ${JSON.stringify(Name)} is not valid`);
  }
  if (RetentionDays !== undefined && !(Number.isInteger(RetentionDays) && (RetentionDays as number) > 0)) {
    throw new HttpError(400, 'RetentionDays must be a positive integer');
  }
  return artifactJson(url, run, artifactIn(run, Name));
}

const contentRange = /^bytes (\d+)-(\d+)\/(\d+)$/;

function uploadChunk(run: Run, request: IncomingMessage, url: URL, body: Buffer): object {
  const itemPath = url.searchParams.get('itemPath') ?? '';
  const [name = '', ...rest] = itemPath.split('/');
  const artifact = run.artifacts.get(name);
  if (artifact === undefined) throw new HttpError(404, `no artifact ${name} was created in this run`);
  if (rest.length === 0 || rest.some((part) => part === '' || part === '.' || part === '..')) {
    throw new HttpError(400, `itemPath ${itemPath} is not a file inside the artifact`);
  }
  if (request.headers['content-type'] !== 'application/octet-stream') {
    throw new HttpError(400, 'Content-Type must be application/octet-stream');
  }
  const range = contentRange.exec(request.headers['content-range'] ?? '');
  const [start, end, total] = (range ?? []).slice(1).map(Number) as [number, number, number];
  if (range === null || end < start || end >= total || body.length !== end - start + 1) {
    throw new HttpError(
      400,
      `Content-Range ${request.headers['content-range']} does not fit a body of ${body.length} bytes`,
    );
  }
  const md5 = request.headers['x-actions-results-md5'];
  if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
    throw new HttpError(400, 'x-actions-results-md5 does not match the chunk');
  }
  const gzip = request.headers['content-encoding'] === 'gzip';
  const fileLength = gzip ? Number(request.headers['x-tfs-filelength']) : total;
  if (!Number.isInteger(fileLength)) throw new HttpError(400, 'a gzip chunk needs x-tfs-filelength');
  const pending = pendingItem(artifact, { path: itemPath, total, gzip, fileLength }, start);
  pending.chunks.set(start, body);
  const received = [...pending.chunks.values()].reduce((sum, chunk) => sum + chunk.length, 0);
  if (received === total) completeItem(artifact, pending);
  return { containerId: run.containerId, path: itemPath, itemType: 'file', status: 'created', fileLength };
}

/** A chunk at 0 starts the file again: sending a path that exists replaces that file once all its chunks are in. */
function pendingItem(artifact: Artifact, item: Omit<PendingItem, 'chunks'>, start: number): PendingItem {
  let pending = artifact.pending.get(item.path);
  if (start === 0 || pending === undefined) {
    if (start !== 0) throw new HttpError(400, `the first chunk of ${item.path} must start at 0, not ${start}`);
    pending = { ...item, chunks: new Map() };
    artifact.pending.set(item.path, pending);
  }
  if (pending.total !== item.total || pending.gzip !== item.gzip) {
    throw new HttpError(400, `a chunk of ${item.path} disagrees with its first chunk on the total size or encoding`);
  }
  return pending;
}

function completeItem(artifact: Artifact, pending: PendingItem): void {
  const ordered = [...pending.chunks.entries()].sort(([a], [b]) => a - b);
  let offset = 0;
  for (const [start, chunk] of ordered) {
    if (start !== offset) throw new HttpError(400, `${pending.path}: the chunks leave a gap or overlap at ${offset}`);
    offset += chunk.length;
  }
  const stored = Buffer.concat(ordered.map(([, chunk]) => chunk));
  const plain = pending.gzip ? gunzipSync(stored) : stored;
  if (plain.length !== pending.fileLength) {
    throw new HttpError(400, `${pending.path}: ${plain.length} bytes, but x-tfs-filelength said ${pending.fileLength}`);
  }
  artifact.pending.delete(pending.path);
  artifact.items.set(pending.path, { path: pending.path, stored, gzip: pending.gzip, plain });
}

function finalizeArtifact(run: Run, url: URL, body: Buffer): object {
  const name = url.searchParams.get('artifactName') ?? '';
  const artifact = run.artifacts.get(name);
  if (artifact === undefined) throw new HttpError(404, `no artifact ${name} in run ${run.id}`);
  const { Size } = parseJson(body);
  if (!Number.isInteger(Size) || (Size as number) < 0) throw new HttpError(400, 'Size must be a non-negative integer');
  if (artifact.pending.size > 0) {
    throw new HttpError(400, `artifact ${name} has incomplete files: ${[...artifact.pending.keys()].join(', ')}`);
  }
  artifact.finalized = true;
  artifact.size = Size as number;
  return artifactJson(url, run, artifact);
}

/** contracts.ts QueryArtifactResponse: every folder and file under itemPath, files with their contentLocation. */
function listItems(run: Run, url: URL): object {
  const itemPath = url.searchParams.get('itemPath') ?? '';
  const artifact = run.artifacts.get(itemPath);
  if (artifact === undefined || !artifact.finalized) throw new HttpError(404, `no finalized artifact ${itemPath}`);
  const files = [...artifact.items.values()].filter((item) => item.path.startsWith(`${itemPath}/`));
  const folders = new Set([itemPath]);
  for (const file of files) {
    const parts = file.path.split('/');
    for (let length = 1; length < parts.length; length++) folders.add(parts.slice(0, length).join('/'));
  }
  const base = containerUrl(url, run);
  const common = { containerId: run.containerId, status: 'created' };
  const value = [
    ...[...folders].sort().map((path) => ({ ...common, path, itemType: 'folder' })),
    ...files.map((file) => ({
      ...common,
      path: file.path,
      itemType: 'file',
      fileLength: file.plain.length,
      contentLocation: `${base}?itemPath=${encodeURIComponent(file.path)}`,
    })),
  ];
  return { count: value.length, value };
}

function downloadItem(run: Run, request: IncomingMessage, url: URL): Answer {
  const itemPath = url.searchParams.get('itemPath') ?? '';
  const artifact = run.artifacts.get(itemPath.split('/')[0] ?? '');
  const item = artifact?.items.get(itemPath);
  if (artifact === undefined || item === undefined || !artifact.finalized) {
    throw new HttpError(404, `no finalized file ${itemPath}`);
  }
  const headers = { 'content-type': 'application/octet-stream' };
  if (item.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
    return { status: 200, body: item.stored, headers: { ...headers, 'content-encoding': 'gzip' } };
  }
  return { status: 200, body: item.plain, headers };
}

// -- plumbing ------------------------------------------------------------------------------------------------------

function send(response: ServerResponse, status: number, json: object): void {
  const bytes = Buffer.from(JSON.stringify(json));
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
  response.end(bytes);
}

function pickHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    loggedHeaders.flatMap((name) => (typeof headers[name] === 'string' ? [[name, headers[name]]] : [])),
  );
}
