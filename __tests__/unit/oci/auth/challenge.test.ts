import {
  mergeScopes,
  parseChallenges,
  parseScopes,
  pickChallenge,
  type Challenge,
} from '../../../../src/oci/auth/challenge.js';

describe('parseChallenges', () => {
  test.each<[string, readonly string[], Challenge[]]>([
    [
      'a Docker Hub bearer challenge',
      [
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      ],
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:samalba/my-app:pull,push',
          },
        },
      ],
    ],
    [
      'a basic challenge with a lower-cased scheme and an upper-cased parameter name',
      ['BASIC Realm="basic-realm"'],
      [{ scheme: 'basic', params: { realm: 'basic-realm' } }],
    ],
    [
      'commas and spaces inside quoted values',
      ['Bearer realm="https://r.example/token",scope="repository:a:pull,push repository:b:pull"'],
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://r.example/token', scope: 'repository:a:pull,push repository:b:pull' },
        },
      ],
    ],
    [
      'escaped quotes and backslashes inside a quoted value',
      ['Basic realm="say \\"hi\\" \\\\ bye"'],
      [{ scheme: 'basic', params: { realm: 'say "hi" \\ bye' } }],
    ],
    [
      'several challenges in one header value',
      ['Negotiate, Basic realm="r1", Bearer realm="https://t/token", service="s"'],
      [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: { realm: 'r1' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
      ],
    ],
    [
      'several headers',
      ['Basic realm="one"', 'Bearer realm="https://two/token"'],
      [
        { scheme: 'basic', params: { realm: 'one' } },
        { scheme: 'bearer', params: { realm: 'https://two/token' } },
      ],
    ],
    [
      'unquoted values and whitespace around the equals sign',
      ['Bearer realm = https://t/token ,  service=registry.example'],
      [{ scheme: 'bearer', params: { realm: 'https://t/token', service: 'registry.example' } }],
    ],
    [
      'junk characters, empty list items and a parameter before any scheme',
      ['stray=1, @@@ ,, Bearer realm="https://t/token", {}, error="invalid_token"'],
      [{ scheme: 'bearer', params: { realm: 'https://t/token', error: 'invalid_token' } }],
    ],
    [
      'an unterminated quoted string running to the end',
      ['Bearer realm="https://t/token'],
      [{ scheme: 'bearer', params: { realm: 'https://t/token' } }],
    ],
    [
      'a repeated parameter, keeping its first value',
      ['Bearer realm="first", realm="second"'],
      [{ scheme: 'bearer', params: { realm: 'first' } }],
    ],
    ['an empty header', [''], []],
    ['no headers', [], []],
  ])('parses %s', (_name, headers, expected) => {
    expect(parseChallenges(headers)).toEqual(expected);
  });
});

describe('pickChallenge', () => {
  const basic: Challenge = { scheme: 'basic', params: { realm: 'r' } };
  const bearer: Challenge = { scheme: 'bearer', params: { realm: 'https://t/token' } };
  const negotiate: Challenge = { scheme: 'negotiate', params: {} };

  test.each<[string, readonly Challenge[], Challenge | undefined]>([
    ['bearer even when basic comes first', [negotiate, basic, bearer], bearer],
    ['basic when there is no bearer', [negotiate, basic], basic],
    ['nothing when only unknown schemes are offered', [negotiate], undefined],
    ['nothing from no challenges', [], undefined],
  ])('picks %s', (_name, challenges, expected) => {
    expect(pickChallenge(challenges)).toBe(expected);
  });
});

describe('parseScopes', () => {
  test.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['repository:a:pull', ['repository:a:pull']],
    ['repository:a:pull,push repository:b:pull', ['repository:a:pull,push', 'repository:b:pull']],
    ['  repository:a:pull   registry:catalog:*  ', ['repository:a:pull', 'registry:catalog:*']],
  ])('splits %j into one entry per scope', (scope, expected) => {
    expect(parseScopes(scope)).toEqual(expected);
  });
});

describe('mergeScopes', () => {
  test.each<[string, readonly string[], string[]]>([
    [
      'unites the actions of one resource',
      ['repository:o/app:push', 'repository:o/app:pull'],
      ['repository:o/app:pull,push'],
    ],
    ['sorts actions given in unstable order', ['repository:o/app:push,pull'], ['repository:o/app:pull,push']],
    ['drops duplicate actions', ['repository:a:pull', 'repository:a:pull,pull'], ['repository:a:pull']],
    [
      'sorts resources',
      ['repository:o/z:pull', 'repository:o/a:pull,push', 'registry:catalog:*'],
      ['registry:catalog:*', 'repository:o/a:pull,push', 'repository:o/z:pull'],
    ],
    [
      'keeps a host:port inside the resource name',
      ['repository:localhost:5000/o/app:pull', 'repository:localhost:5000/o/app:push'],
      ['repository:localhost:5000/o/app:pull,push'],
    ],
    [
      'accepts space-separated scopes inside one entry',
      ['repository:a:push repository:b:pull', 'repository:a:pull'],
      ['repository:a:pull,push', 'repository:b:pull'],
    ],
    [
      'keeps an unparseable scope as it is, once',
      ['nonsense', 'nonsense', 'repository:a:pull'],
      ['nonsense', 'repository:a:pull'],
    ],
    ['returns nothing for nothing', [], []],
  ])('%s', (_name, scopes, expected) => {
    expect(mergeScopes(scopes)).toEqual(expected);
  });

  test('gives the same result for the same scope set in any order', () => {
    const scopes = ['repository:b:pull', 'repository:a:push', 'repository:a:pull'];
    expect(mergeScopes([...scopes].reverse())).toEqual(mergeScopes(scopes));
  });
});
