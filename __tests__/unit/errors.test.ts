import { explain, UserError } from '../../src/errors.js';
import { OciError, type OciErrorCode } from '../../src/oci/errors.js';
import { profileForHost } from '../../src/oci/registries/lookup.js';

const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

function advice(code: OciErrorCode, registry: string, writing: boolean, registryCodes: string[] = []): string {
  const error = new OciError({
    code,
    message: 'x',
    registry,
    // As the client sets it: the family of the registry that answered.
    family: profileForHost(registry).family,
    method: writing ? 'PUT' : 'GET',
    url: 'u',
    registryCodes,
  });
  const explained = explain(error, 'ghcr.io/o/app', { writing });
  if (!(explained instanceof UserError)) throw new Error('explain() returned no UserError');
  return explained.fix;
}

describe('explain(): the advice for each registry answer', () => {
  test.each<[string, OciErrorCode, string, boolean, string[], RegExp]>([
    ['a push GHCR denies', 'DENIED', 'ghcr.io', true, [], /packages: write/],
    ['a push ECR denies', 'DENIED', ecr, true, [], /ecr:PutImage/],
    ['a push another registry denies', 'DENIED', 'quay.io', true, [], /may read but not push/],
    ['a missing ECR repository on push', 'NOT_FOUND', ecr, true, ['NAME_UNKNOWN'], /aws ecr create-repository/],
    ['a missing repository elsewhere on push', 'NOT_FOUND', 'quay.io', true, ['NAME_UNKNOWN'], /create it first/],
    ['an immutable ECR tag', 'REJECTED', ecr, true, ['TAG_INVALID'], /immutable tags/],
    [
      "distribution's TAG_INVALID (a tag that does not match)",
      'REJECTED',
      'quay.io',
      true,
      ['TAG_INVALID'],
      /its own message/,
    ],
    ["Docker Hub's rate limit", 'TOO_MANY_REQUESTS', 'docker.io', false, [], /Docker Hub limits/],
    ['another rate limit', 'TOO_MANY_REQUESTS', 'ghcr.io', false, [], /rate-limiting this runner/],
    ['wrong credentials', 'UNAUTHORIZED', 'ghcr.io', false, [], /check the username and password/],
    ['a child gone from a repository', 'NOT_FOUND', 'ghcr.io', false, ['MANIFEST_UNKNOWN'], /cleanup jobs delete/],
  ])('%s', (_what, code, registry, writing, registryCodes, fix) => {
    expect(advice(code, registry, writing, registryCodes)).toMatch(fix);
  });

  test('passes anything that is not an OciError through unchanged', () => {
    const bug = new TypeError('bug');
    expect(explain(bug, 'subject')).toBe(bug);
  });
});
