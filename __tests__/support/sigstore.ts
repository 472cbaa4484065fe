import { bundleFromJSON } from '@sigstore/bundle';
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler,
  type HandlerFn,
} from '@sigstore/mock';
import { HashAlgorithm, PublicKeyDetails, type TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type Signer } from '@sigstore/verify';
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { HostRoute } from './connect-proxy.js';

/**
 * The two Sigstore instances actions/attest signs with, each made of @sigstore/mock's own handlers (Fulcio speaking
 * the real signingCert API, Rekor's log entries, an RFC 3161 timestamp authority) under the public host names the
 * library hard-codes, with its own keys and the trusted root @sigstore/verify checks a bundle against:
 * public-good is Fulcio with Rekor, github is Fulcio with a timestamp authority.
 */
export interface MockSigstore {
  readonly name: 'public-good' | 'github';
  readonly trustedRoot: TrustedRoot;
  /** Host → handlers, for startPublicHosts. */
  readonly routes: Readonly<Record<string, readonly HostRoute[]>>;
}

// The mock Fulcio names the certificate after one claim of the OIDC token, as it is; real Fulcio writes
// `https://github.com/<job_workflow_ref>` for Actions tokens. Tests match the claim, never real Fulcio's format.
export const certificateIdentityClaim = 'job_workflow_ref';

const newKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
// A minute back: the mock CA issues certificates "now", and verification wants the keys valid at signing time.
const validFor = () => ({ start: new Date(Date.now() - 60_000) });

function authority(certificates: readonly ArrayBufferView[], uri: string) {
  return {
    subject: { commonName: 'sigstore', organization: 'sigstore.mock' },
    uri,
    certChain: {
      certificates: certificates.map((certificate) => ({
        rawBytes: Buffer.from(certificate.buffer, certificate.byteOffset, certificate.byteLength),
      })),
    },
    validFor: validFor(),
    operator: 'sigstore.mock',
  };
}

function transparencyLog(key: Buffer, baseUrl: string) {
  return {
    baseUrl,
    logId: { keyId: createHash('sha256').update(key).digest() },
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: { rawBytes: key, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: validFor() },
    checkpointKeyId: undefined,
    operator: 'sigstore.mock',
  };
}

const post = (path: string, fn: HandlerFn): HostRoute => ({
  method: 'POST',
  path,
  fn: async (body) => {
    const { statusCode, response, contentType } = await fn(body);
    const bytes =
      typeof response === 'string' ? response : Buffer.from(response.buffer, response.byteOffset, response.byteLength);
    return { statusCode, response: bytes, ...(contentType === undefined ? {} : { contentType }) };
  },
});

/**
 * @sigstore/mock's Rekor logs a proposed `dsse` entry as it came, while real Rekor logs its canonical form
 * (envelope hash, payload hash, each signature with its verifier), which is what @sigstore/verify checks. The body is
 * made canonical here, as Rekor does, before the mock's own log signs and includes it; other kinds pass unchanged.
 */
function canonicalDsseRekor(fn: HandlerFn): HandlerFn {
  const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
  return (body) => {
    const proposed = JSON.parse(body) as {
      kind: string;
      apiVersion: string;
      spec: { proposedContent: { envelope: string; verifiers: string[] } };
    };
    if (proposed.kind !== 'dsse' || proposed.apiVersion !== '0.0.1') return fn(body);
    const { envelope, verifiers } = proposed.spec.proposedContent;
    const parsed = JSON.parse(envelope) as { payload: string; signatures: { sig: string }[] };
    const spec = {
      envelopeHash: { algorithm: 'sha256', value: sha256(envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(parsed.payload, 'base64')) },
      signatures: parsed.signatures.map(({ sig }) => ({ signature: sig, verifier: verifiers[0] })),
    };
    return fn(JSON.stringify({ apiVersion: '0.0.1', kind: 'dsse', spec }));
  };
}

export async function publicGoodSigstore(): Promise<MockSigstore> {
  const keyPair = newKeyPair();
  const ctlog = await initializeCTLog(keyPair);
  const ca = await initializeCA(keyPair, ctlog);
  const tlog = await initializeTLog('https://rekor.sigstore.dev', keyPair);
  const fulcio = fulcioHandler(ca, { strict: true, subjectClaim: certificateIdentityClaim });
  const rekor = rekorHandler(tlog, { strict: true });
  return {
    name: 'public-good',
    trustedRoot: {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      certificateAuthorities: [authority([ca.rootCertificate], 'https://fulcio.sigstore.dev')],
      ctlogs: [transparencyLog(ctlog.publicKey, 'https://ctfe.sigstore.dev')],
      tlogs: [transparencyLog(tlog.publicKey, 'https://rekor.sigstore.dev')],
      timestampAuthorities: [],
    },
    routes: {
      'fulcio.sigstore.dev': [post(fulcio.path, fulcio.fn)],
      'rekor.sigstore.dev': [post(rekor.path, canonicalDsseRekor(rekor.fn))],
    },
  };
}

export async function githubSigstore(): Promise<MockSigstore> {
  const keyPair = newKeyPair();
  const ctlog = await initializeCTLog(keyPair);
  const ca = await initializeCA(keyPair, ctlog);
  const tsa = await initializeTSA(newKeyPair());
  // The mock's genTime keeps the milliseconds, which DER writes without trailing zeros (`.12Z`), and
  // @sigstore/core's parser (asn1/parse.js RE_TIME_LONG_YEAR) takes exactly three digits or none: one request in
  // ten would fail as "invalid time". Whole seconds, as the certificates' UTCTime has them, are read by both.
  (tsa as unknown as { getCurrentTime: () => Date }).getCurrentTime = () =>
    new Date(Math.floor(Date.now() / 1000) * 1000);
  const fulcio = fulcioHandler(ca, { strict: true, subjectClaim: certificateIdentityClaim });
  const timestamps = tsaHandler(tsa, { strict: true });
  return {
    name: 'github',
    trustedRoot: {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      certificateAuthorities: [authority([ca.rootCertificate], 'https://fulcio.githubapp.com')],
      ctlogs: [transparencyLog(ctlog.publicKey, 'https://ctfe.githubapp.com')],
      tlogs: [],
      timestampAuthorities: [authority([tsa.intCertificate, tsa.rootCertificate], 'https://timestamp.githubapp.com')],
    },
    routes: {
      'fulcio.githubapp.com': [post(fulcio.path, fulcio.fn)],
      'timestamp.githubapp.com': [post(timestamps.path, timestamps.fn)],
    },
  };
}

/** The in-toto statement a DSSE bundle signs. */
export interface Statement {
  readonly _type: string;
  readonly predicateType: string;
  readonly subject: readonly { readonly name: string; readonly digest: Readonly<Record<string, string>> }[];
  readonly predicate: Record<string, unknown>;
}

/**
 * Verifies a bundle (its JSON) with @sigstore/verify against the instance's trusted root and the signer identity
 * expected: a Rekor entry for public-good, a signed timestamp for github, a certificate with an embedded SCT for both.
 * Throws when it does not verify; returns the signer and the statement.
 */
export function verifyBundle(
  json: unknown,
  sigstore: MockSigstore,
  identity: { readonly subjectAlternativeName: string; readonly issuer: string },
): { readonly signer: Signer; readonly statement: Statement } {
  const bundle = bundleFromJSON(json);
  const verifier = new Verifier(toTrustMaterial(sigstore.trustedRoot), {
    tlogThreshold: sigstore.name === 'public-good' ? 1 : 0,
    ctlogThreshold: 1,
    timestampThreshold: 1,
  });
  const signer = verifier.verify(toSignedEntity(bundle), {
    subjectAlternativeName: identity.subjectAlternativeName,
    extensions: { issuer: identity.issuer },
  });
  if (bundle.content.$case !== 'dsseEnvelope')
    throw new Error(`the bundle holds a ${bundle.content.$case}, not a DSSE envelope`);
  const statement = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString('utf8')) as Statement;
  return { signer, statement };
}
