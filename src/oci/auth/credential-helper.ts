import { execFile, type ExecFileException } from 'node:child_process';
import { OciError } from '../errors.js';

/**
 * The `get` verb of the credential-helper protocol [docker-credential-helpers `client/client.go`]: the key goes to
 * stdin, `{"ServerURL","Username","Secret"}` comes back on stdout. Output is never logged or quoted in an error: on
 * success it holds the secret.
 */
export type HelperAnswer =
  { readonly found: false } | { readonly found: true; readonly username: string; readonly secret: string };

export interface HelperCall {
  /** The suffix from credsStore/credHelpers: `desktop` runs `docker-credential-desktop`. */
  readonly helper: string;
  /** The config key written to stdin (`registry.example`, or the default registry's `https://.../v1/` key). */
  readonly key: string;
  /** The registry the credential is for, named in errors. */
  readonly registry: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
}

// docker-credential-helpers `credentials.errCredentialsNotFoundMessage`, printed with a non-zero exit.
const notFoundMessage = 'credentials not found';
const maxOutputBytes = 1024 * 1024;

interface ProcessResult {
  readonly error: ExecFileException | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(program: string, call: HelperCall): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = execFile(
      program,
      ['get'],
      { env: call.env, timeout: call.timeoutMs, maxBuffer: maxOutputBytes, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    );
    // A helper that is missing or exits before reading stdin makes this write fail with EPIPE; the exit callback
    // above reports that failure, so the stream error carries nothing new.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(call.key);
  });
}

function helperError(call: HelperCall, program: string, problem: string, cause?: unknown): OciError {
  return new OciError({
    code: 'CREDENTIALS',
    message: `credential helper ${program} ${problem} for ${call.registry}`,
    registry: call.registry,
    cause,
  });
}

/** The helper's own complaint, for the error message: its first line, unless it could be the credential JSON. */
function complaint(result: ProcessResult): string {
  const line = (result.stderr.trim() || result.stdout.trim()).split('\n')[0]?.trim() ?? '';
  if (line === '' || line.startsWith('{')) return '';
  return `: ${line.slice(0, 200)}`;
}

function describeFailure(call: HelperCall, program: string, result: ProcessResult): OciError {
  const error = result.error!;
  if (error.code === 'ENOENT') return helperError(call, program, 'is not on PATH');
  if (error.killed) return helperError(call, program, `did not answer within ${call.timeoutMs} ms`);
  const exit = typeof error.code === 'number' ? `exit code ${error.code}` : (error.signal ?? String(error.code));
  return helperError(call, program, `failed (${exit}${complaint(result)})`);
}

function parseAnswer(call: HelperCall, program: string, stdout: string): HelperAnswer {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw helperError(call, program, 'printed something that is not credentials JSON');
  }
  const { Username: username, Secret: secret } = (json ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof secret !== 'string' || (username !== undefined && typeof username !== 'string')) {
    throw helperError(call, program, 'printed JSON without a string "Secret"');
  }
  if (secret === '') return { found: false };
  return { found: true, username: username ?? '', secret };
}

/** Runs `docker-credential-<helper> get`; "credentials not found" is an answer, every other failure an OciError. */
export async function askCredentialHelper(call: HelperCall): Promise<HelperAnswer> {
  const program = `docker-credential-${call.helper}`;
  // The name comes from a config file: a path there would run an arbitrary program instead of a helper on PATH.
  if (/[/\\]/.test(call.helper)) throw helperError(call, program, 'is not a plain helper name');
  const result = await run(program, call);
  if (result.error === null) return parseAnswer(call, program, result.stdout);
  if (`${result.stdout}\n${result.stderr}`.includes(notFoundMessage)) return { found: false };
  throw describeFailure(call, program, result);
}
