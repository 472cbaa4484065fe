import { createServer } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

/**
 * GitHub's attestations API as the real @actions/attest stores through it: `POST /repos/{owner}/{repo}/attestations`
 * with `{bundle}` and the job's token, answered 201 `{id}`. GITHUB_API_URL points at it.
 */
export interface AttestationsApi {
  /** GITHUB_API_URL. */
  readonly url: string;
  stored(): readonly StoredAttestation[];
  stop(): Promise<void>;
}

export interface StoredAttestation {
  readonly id: number;
  readonly repository: string;
  readonly bundle: unknown;
}

export async function startAttestationsApi(token: string): Promise<AttestationsApi> {
  const stored: StoredAttestation[] = [];
  let nextId = 1000;
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const route = /^\/repos\/([^/]+\/[^/]+)\/attestations$/.exec(request.url ?? '');
      const answer = (status: number, value: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (request.method !== 'POST' || !route) return answer(404, { message: 'Not Found' });
      const authorization = request.headers.authorization ?? '';
      if (authorization !== `token ${token}` && authorization !== `Bearer ${token}`) {
        return answer(401, { message: 'Bad credentials' });
      }
      const { bundle } = JSON.parse(body.toString('utf8')) as { bundle?: unknown };
      if (bundle === undefined) return answer(422, { message: 'bundle is required' });
      const id = nextId++;
      stored.push({ id, repository: route[1] ?? '', bundle });
      return answer(201, { id });
    });
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, stored: () => [...stored], stop: () => closeServer(server) };
}
