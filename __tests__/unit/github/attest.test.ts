import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { checkAttestable, sigstoreInstance } from '../../../src/github/attest.js';

const granted = {
  GITHUB_SERVER_URL: 'https://github.com',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/_apis/distributedtask/idtoken?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runtime-token',
};

function refusal(env: Record<string, string | undefined>, token = 'ghs_token'): UserError {
  try {
    checkAttestable(env, token);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('checkAttestable accepted the job');
}

describe('checkAttestable', () => {
  test.each([
    ['github.com', granted],
    ['GHE.com (data residency)', { ...granted, GITHUB_SERVER_URL: 'https://octo-corp.ghe.com' }],
    ['a run that names no server (github.com)', { ...granted, GITHUB_SERVER_URL: undefined }],
  ])('accepts a job with id-token: write on %s', (_where, env) => {
    expect(() => checkAttestable(env, 'ghs_token')).not.toThrow();
  });

  test.each([['https://ghes.example.com'], ['https://github.example.com/'], ['http://github.com']])(
    'refuses GitHub Enterprise Server (%s), naming it and what to do instead',
    (server) => {
      const error = refusal({ ...granted, GITHUB_SERVER_URL: server });
      expect(error.subject).toBe('attest');
      expect(error.problem).toContain('GitHub Enterprise Server');
      expect(error.problem).toContain(server.replace(/\/$/, ''));
      expect(error.fix).toContain('attest: false');
      expect(error.fix).toContain('cosign');
    },
  );

  test.each([
    ['no request URL', { ...granted, ACTIONS_ID_TOKEN_REQUEST_URL: undefined }],
    ['an empty request URL', { ...granted, ACTIONS_ID_TOKEN_REQUEST_URL: '' }],
    ['no request token', { ...granted, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }],
  ])('refuses a job without id-token: write (%s), naming the permissions to grant', (_case, env) => {
    const error = refusal(env);
    expect(error.subject).toBe('attest');
    expect(error.problem).toContain('`id-token: write`');
    expect(error.fix).toContain('id-token: write');
    expect(error.fix).toContain('attestations: write');
  });

  test('refuses an empty github-token, naming the input', () => {
    expect(refusal(granted, '').subject).toBe('github-token');
  });

  test('names GitHub Enterprise Server first, where no permission would help', () => {
    expect(refusal({ GITHUB_SERVER_URL: 'https://ghes.example.com' }).problem).toContain('Enterprise Server');
  });
});

describe('sigstoreInstance', () => {
  test.each([
    ['a public repository', { repository: { visibility: 'public' } }, 'public-good'],
    ['a private repository', { repository: { visibility: 'private' } }, 'github'],
    ['an internal repository', { repository: { visibility: 'internal' } }, 'github'],
    ['an event without a repository', { action: 'published' }, 'github'],
    ['no event at all', undefined, 'github'],
  ])('signs %s with the %s instance, as actions/attest does', (_case, event, instance) => {
    expect(sigstoreInstance(event)).toBe(instance);
  });
});
