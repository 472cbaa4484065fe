import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { fallbackTag, referrerManifest, type Artifact } from '../../../src/oci/referrers.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('fallbackTag', () => {
  // distribution-spec "Referrers Tag Schema": algorithm (at most 32), "-", encoded (at most 64), other characters "-".
  test.each([
    [`sha256:${sha256('a')}`, `sha256-${sha256('a')}`],
    [`sha512:${'ab'.repeat(64)}`, `sha512-${'ab'.repeat(32)}`],
    [
      'sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564',
      'sha256-b64u-LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564',
    ],
    [`${'x'.repeat(40)}:abc`, `${'x'.repeat(32)}-abc`],
  ])('%s is listed under the tag %s', (digest, tag) => {
    expect(fallbackTag(digest)).toBe(tag);
  });
});

describe('referrerManifest', () => {
  const bundle = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
  const artifact: Artifact = {
    artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    layer: { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', bytes: bundle },
    annotations: {
      'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1',
      'dev.sigstore.bundle.content': 'dsse-envelope',
    },
  };
  const subject = {
    mediaType: 'application/vnd.oci.image.index.v1+json',
    digest: `sha256:${sha256('index')}`,
    size: 645,
    platform: { os: 'linux', architecture: 'amd64' },
  };

  test('is the layout actions/attest pushes: empty config, the bundle as the one layer, the subject, the annotations', () => {
    const manifest = referrerManifest(artifact, subject);
    expect(JSON.parse(manifest.bytes.toString('utf8'))).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [
        { mediaType: artifact.layer.mediaType, digest: `sha256:${sha256(bundle.toString())}`, size: bundle.length },
      ],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1',
      },
    });
    expect(manifest.descriptor.digest).toBe(`sha256:${createHash('sha256').update(manifest.bytes).digest('hex')}`);
  });

  test('is listed with its artifactType and every annotation, as the tag schema and the referrers API list it', () => {
    const { listed, descriptor } = referrerManifest(artifact, subject);
    expect(listed).toEqual({
      ...descriptor,
      artifactType: artifact.artifactType,
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1',
      },
    });
  });

  test('gives the same bytes for the same artifact and subject, so every repository gets one digest per subject', () => {
    const reordered = { ...artifact, annotations: Object.fromEntries(Object.entries(artifact.annotations).reverse()) };
    expect(referrerManifest(reordered, subject).bytes).toEqual(referrerManifest(artifact, subject).bytes);
  });
});
