import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';
import { zip } from './zip.js';

/**
 * A fake of GitHub's artifact (Results) service that speaks the protocol the real @actions/artifact client uses:
 * Twirp JSON RPCs for the metadata, Azure block-blob PUTs for the upload and a signed GET for the zip
 * (artifact-protocol-and-runtime.md §1). Artifacts belong to a workflow run, read from the runtime token.
 */
export interface ArtifactService {
  /** `http://127.0.0.1:PORT`, what ACTIONS_RESULTS_URL points at. */
  readonly url: string;
  /** The environment a job of `job.runId` sees: ACTIONS_RESULTS_URL and an ACTIONS_RUNTIME_TOKEN for that job. */
  envFor(job: ArtifactJob): ArtifactEnvironment;
  /** The finalized artifacts of a run, in creation order. */
  artifacts(runId: string): readonly StoredArtifact[];
  /** Stores a finalized artifact whose zip holds `files` (path inside the zip → content), as a job would; its id. */
  addArtifact(runId: string, jobId: string, name: string, files: Readonly<Record<string, string | Buffer>>): number;
  /** Every request since start or the last resetRequests(), in arrival order. */
  requests(): readonly ArtifactServiceRequest[];
  resetRequests(): void;
  stop(): Promise<void>;
}

export type ArtifactEnvironment = Record<string, string> & {
  readonly ACTIONS_RESULTS_URL: string;
  readonly ACTIONS_RUNTIME_TOKEN: string;
};

export interface ArtifactJob {
  readonly runId: string;
  readonly jobId: string;
}

export interface StoredArtifact {
  readonly name: string;
  readonly id: number;
  readonly size: number;
  readonly jobId: string;
}

export type ArtifactOperation = TwirpMethod | 'PutBlock' | 'PutBlockList' | 'GetBlob' | 'Unknown';

export interface ArtifactServiceRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The URL path, without the query (which holds the signature). */
  readonly path: string;
  /** The Twirp method or blob operation the request was taken for. */
  readonly operation: ArtifactOperation;
}

const twirpPrefix = '/twirp/github.actions.results.api.v1.ArtifactService/';
const twirpMethods = [
  'CreateArtifact',
  'FinalizeArtifact',
  'ListArtifacts',
  'GetSignedArtifactURL',
  'DeleteArtifact',
] as const;
type TwirpMethod = (typeof twirpMethods)[number];

interface Artifact {
  readonly id: number;
  readonly runId: string;
  readonly jobId: string;
  readonly name: string;
  /** Unpadded hex: the blob SDK re-serialises the query and would cut a base64 value at its first '='. */
  readonly sig: string;
  readonly createdAt: Date;
  readonly blocks: Map<string, Buffer>;
  content?: Buffer;
  contentType?: string;
  finalized: boolean;
  size: number;
  hash?: string;
}

type Body = Readonly<Record<string, unknown>>;

/** A failure answered as Twirp does: a JSON body `{code, msg}` with its HTTP status. */
class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (message: string): TwirpError => new TwirpError(404, 'not_found', message);
const invalid = (message: string): TwirpError => new TwirpError(400, 'invalid_argument', message);

/** The service's state: artifacts by id, ids increasing with creation (the client's `latest` relies on it). */
class ArtifactTable {
  private readonly byId = new Map<number, Artifact>();
  private lastId = 0;

  create(runId: string, jobId: string, name: string): Artifact {
    if (this.find(runId, name) !== undefined) {
      // The message github.com sends (quoted in upload-artifact #634); the client does not retry a 409.
      throw new TwirpError(409, 'already_exists', 'an artifact with this name already exists on the workflow run');
    }
    for (const pending of this.byId.values()) {
      if (pending.runId === runId && pending.name === name) this.byId.delete(pending.id);
    }
    const id = ++this.lastId;
    const sig = randomBytes(16).toString('hex');
    const artifact: Artifact = {
      id,
      runId,
      jobId,
      name,
      sig,
      createdAt: new Date(),
      blocks: new Map(),
      finalized: false,
      size: 0,
    };
    this.byId.set(id, artifact);
    return artifact;
  }

  /** The finalized artifact of a run with this name. */
  find(runId: string, name: string): Artifact | undefined {
    return this.list(runId).find((artifact) => artifact.name === name);
  }

  pending(runId: string, name: string): Artifact | undefined {
    return [...this.byId.values()].find((a) => a.runId === runId && a.name === name && !a.finalized);
  }

  byIdAndSig(id: number, sig: string | undefined): Artifact | undefined {
    const artifact = this.byId.get(id);
    return artifact !== undefined && artifact.sig === sig ? artifact : undefined;
  }

  list(runId: string): Artifact[] {
    return [...this.byId.values()].filter((artifact) => artifact.runId === runId && artifact.finalized);
  }

  delete(artifact: Artifact): void {
    this.byId.delete(artifact.id);
  }
}

/** What the request handler shares with the test's handle on the service. */
interface ServiceState {
  readonly table: ArtifactTable;
  origin: string;
  log: ArtifactServiceRequest[];
}

export async function startArtifactService(): Promise<ArtifactService> {
  const state: ServiceState = { table: new ArtifactTable(), origin: '', log: [] };
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      sendJson(response, 500, { code: 'internal', msg: `the fake failed: ${String(error)}` });
    });
  });
  state.origin = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  let stopped: Promise<void> | undefined;
  return {
    url: state.origin,
    envFor: (job) => ({ ACTIONS_RESULTS_URL: `${state.origin}/`, ACTIONS_RUNTIME_TOKEN: runtimeToken(job) }),
    artifacts: (runId) => state.table.list(runId).map(({ name, id, size, jobId }) => ({ name, id, size, jobId })),
    addArtifact: (runId, jobId, name, files) => addZipArtifact(state.table, { runId, jobId }, name, files),
    requests: () => [...state.log],
    resetRequests: () => {
      state.log = [];
    },
    stop: () => (stopped ??= closeServer(server)),
  };
}

// -- the runtime token ---------------------------------------------------------------------------------------------

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT: the client only decodes the payload, to find its run and job in the Actions.Results scope. */
function runtimeToken(job: ArtifactJob): string {
  for (const id of [job.runId, job.jobId]) {
    if (id === '' || /[:\s]/.test(id)) throw new Error(`run and job ids may not be empty or hold ":" or spaces: ${id}`);
  }
  const payload = { scp: `Actions.Results:${job.runId}:${job.jobId}`, iat: Math.floor(Date.now() / 1000) };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.unsigned`;
}

function jobOf(request: IncomingMessage): ArtifactJob {
  const [, payload = ''] = (request.headers.authorization ?? '').replace(/^Bearer /, '').split('.');
  let scope: unknown;
  try {
    scope = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: unknown }).scp;
  } catch {
    scope = undefined;
  }
  const results =
    typeof scope === 'string' ? scope.split(' ').find((s) => s.startsWith('Actions.Results:')) : undefined;
  const [, runId, jobId, ...rest] = (results ?? '').split(':');
  if (runId === undefined || jobId === undefined || rest.length > 0) {
    throw new TwirpError(401, 'unauthenticated', 'no runtime token with an Actions.Results:<run>:<job> scope');
  }
  return { runId, jobId };
}

// -- routing -------------------------------------------------------------------------------------------------------

async function handle(state: ServiceState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', state.origin);
  const body = await readBody(request);
  const operation = operationOf(request.method ?? '', url);
  state.log.push({ method: request.method ?? '', path: url.pathname, operation });
  try {
    if (operation === 'PutBlock') return putBlock(state.table, url, body, response);
    if (operation === 'PutBlockList') return putBlockList(state.table, request, url, body, response);
    if (operation === 'GetBlob') return getBlob(state.table, url, response);
    if (operation === 'Unknown')
      throw new TwirpError(404, 'bad_route', `no route for ${request.method} ${url.pathname}`);
    const answer = answerTwirp(state, operation, jobOf(request), parseTwirpBody(body));
    sendJson(response, 200, answer);
  } catch (error) {
    if (!(error instanceof TwirpError)) throw error;
    sendJson(response, error.status, { code: error.code, msg: error.message });
  }
}

function operationOf(method: string, url: URL): ArtifactOperation {
  if (method === 'POST' && url.pathname.startsWith(twirpPrefix)) {
    const name = url.pathname.slice(twirpPrefix.length);
    return twirpMethods.find((known) => known === name) ?? 'Unknown';
  }
  if (!/^\/blob\/\d+\/./.test(url.pathname)) return 'Unknown';
  const comp = queryValue(url, 'comp');
  if (method === 'PUT' && comp === 'block') return 'PutBlock';
  if (method === 'PUT' && comp === 'blocklist') return 'PutBlockList';
  if (method === 'GET' && comp === undefined) return 'GetBlob';
  return 'Unknown';
}

/** A query value decoded as the blob SDK encodes it: percent-escapes only, a '+' in a base64 block id stays a '+'. */
function queryValue(url: URL, key: string): string | undefined {
  for (const pair of url.search.slice(1).split('&')) {
    const [name = '', value = ''] = pair.split('=');
    if (decodeURIComponent(name) === key) return decodeURIComponent(value);
  }
  return undefined;
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
}

// -- Twirp ---------------------------------------------------------------------------------------------------------

function parseTwirpBody(body: Buffer): Body {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Body;
  } catch {
    // answered below: a body that is not a JSON object
  }
  throw new TwirpError(400, 'malformed', 'the request body is not a JSON object');
}

/** The request's field, by its proto name as the client sends it or by its JSON name; unknown fields are ignored. */
function field(body: Body, protoName: string): string | undefined {
  const jsonName = protoName.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  const value = body[protoName] ?? body[jsonName];
  return value === undefined || value === null ? undefined : String(value);
}

function requiredName(body: Body): string {
  const name = field(body, 'name');
  if (name === undefined || name === '') throw invalid('name is required');
  return name;
}

function answerTwirp(state: ServiceState, method: TwirpMethod, job: ArtifactJob, body: Body): object {
  const runInBody = field(body, 'workflow_run_backend_id');
  if (runInBody !== undefined && runInBody !== job.runId) {
    throw new TwirpError(403, 'permission_denied', `the token is for run ${job.runId}, not ${runInBody}`);
  }
  switch (method) {
    case 'CreateArtifact':
      return createArtifact(state, job, requiredName(body));
    case 'FinalizeArtifact':
      return finalizeArtifact(state.table, job, body);
    case 'ListArtifacts':
      return listArtifacts(state.table, job, body);
    case 'GetSignedArtifactURL':
      return { signed_url: signedUrl(state.origin, finalized(state.table, job, requiredName(body))) };
    case 'DeleteArtifact':
      return deleteArtifact(state.table, job, requiredName(body));
  }
}

function signedUrl(origin: string, artifact: Artifact): string {
  // Blob SDKs need /account/container[/blob] on an IP host: at least two path segments.
  return `${origin}/blob/${artifact.id}/${encodeURIComponent(artifact.name)}?sig=${artifact.sig}`;
}

function createArtifact(state: ServiceState, job: ArtifactJob, name: string): object {
  const artifact = state.table.create(job.runId, job.jobId, name);
  return { ok: true, signed_upload_url: signedUrl(state.origin, artifact) };
}

function finalizeArtifact(table: ArtifactTable, job: ArtifactJob, body: Body): object {
  const name = requiredName(body);
  const artifact = table.pending(job.runId, name);
  if (artifact === undefined) throw notFound(`no artifact ${JSON.stringify(name)} is being uploaded in this run`);
  if (artifact.content === undefined) throw new TwirpError(412, 'failed_precondition', 'no block list was committed');
  const hash = field(body, 'hash');
  if (hash !== undefined && hash !== sha256(artifact.content)) {
    throw invalid(`hash ${hash} does not match the uploaded content, ${sha256(artifact.content)}`);
  }
  artifact.size = Number(field(body, 'size') ?? '0');
  artifact.hash = hash ?? sha256(artifact.content);
  artifact.finalized = true;
  return { ok: true, artifact_id: String(artifact.id) };
}

function listArtifacts(table: ArtifactTable, job: ArtifactJob, body: Body): object {
  const nameFilter = field(body, 'name_filter');
  const idFilter = field(body, 'id_filter');
  const artifacts = table
    .list(job.runId)
    .filter((artifact) => nameFilter === undefined || artifact.name === nameFilter)
    .filter((artifact) => idFilter === undefined || String(artifact.id) === idFilter);
  return {
    artifacts: artifacts.map((artifact) => ({
      workflow_run_backend_id: artifact.runId,
      workflow_job_run_backend_id: artifact.jobId,
      database_id: String(artifact.id),
      name: artifact.name,
      size: String(artifact.size),
      created_at: artifact.createdAt.toISOString(),
      digest: artifact.hash,
    })),
  };
}

function finalized(table: ArtifactTable, job: ArtifactJob, name: string): Artifact {
  const artifact = table.find(job.runId, name);
  if (artifact === undefined) throw notFound(`no artifact ${JSON.stringify(name)} in this run`);
  return artifact;
}

function deleteArtifact(table: ArtifactTable, job: ArtifactJob, name: string): object {
  const artifact = finalized(table, job, name);
  table.delete(artifact);
  return { ok: true, artifact_id: String(artifact.id) };
}

// -- blobs ---------------------------------------------------------------------------------------------------------

function signedArtifact(table: ArtifactTable, url: URL): Artifact {
  const id = Number(url.pathname.split('/')[2]);
  const artifact = table.byIdAndSig(id, queryValue(url, 'sig'));
  if (artifact === undefined) throw new TwirpError(403, 'permission_denied', 'unknown blob or wrong signature');
  return artifact;
}

function uploading(table: ArtifactTable, url: URL): Artifact {
  const artifact = signedArtifact(table, url);
  if (artifact.finalized) throw new TwirpError(409, 'already_exists', 'the artifact is finalized: its blob is sealed');
  return artifact;
}

function putBlock(table: ArtifactTable, url: URL, body: Buffer, response: ServerResponse): void {
  const artifact = uploading(table, url);
  const blockId = queryValue(url, 'blockid');
  if (blockId === undefined || blockId === '') throw invalid('blockid is required');
  artifact.blocks.set(blockId, body);
  response.writeHead(201).end();
}

/** Commits the blocks in the order the XML lists them, which need not be the order they arrived in. */
function putBlockList(
  table: ArtifactTable,
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  response: ServerResponse,
): void {
  const artifact = uploading(table, url);
  const ids = [...body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map(
    (match) => match[2] ?? '',
  );
  const blocks = ids.map((id) => artifact.blocks.get(id));
  const missing = ids.filter((_id, index) => blocks[index] === undefined);
  if (missing.length > 0) throw invalid(`the block list names blocks that were never staged: ${missing.join(', ')}`);
  artifact.content = Buffer.concat(blocks as Buffer[]);
  artifact.contentType = String(request.headers['x-ms-blob-content-type'] ?? 'application/octet-stream');
  artifact.blocks.clear();
  response.writeHead(201).end();
}

function getBlob(table: ArtifactTable, url: URL, response: ServerResponse): void {
  const artifact = signedArtifact(table, url);
  if (!artifact.finalized || artifact.content === undefined) throw notFound('the artifact is not finalized');
  response
    .writeHead(200, {
      'content-type': artifact.contentType ?? 'application/zip',
      'content-length': artifact.content.length,
    })
    .end(artifact.content);
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

// -- artifacts made by the test ------------------------------------------------------------------------------------

function addZipArtifact(
  table: ArtifactTable,
  job: ArtifactJob,
  name: string,
  files: Readonly<Record<string, string | Buffer>>,
): number {
  const artifact = table.create(job.runId, job.jobId, name);
  artifact.content = zip(files);
  artifact.contentType = 'application/zip';
  artifact.size = artifact.content.length;
  artifact.hash = sha256(artifact.content);
  artifact.finalized = true;
  return artifact.id;
}
