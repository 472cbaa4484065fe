/**
 * WWW-Authenticate parsing (RFC 7235 §4.1, RFC 6750 §3) and token scope arithmetic (distribution `auth/scope.md`).
 * Pure: no I/O, so every odd header a registry sends can be pinned down in a table.
 */
export interface Challenge {
  /** Lower-cased: `bearer`, `basic`. */
  readonly scheme: string;
  /** Parameter names lower-cased (`realm`, `service`, `scope`, `error`); values as sent, quotes and escapes removed. */
  readonly params: Readonly<Record<string, string>>;
}

interface Cursor {
  readonly text: string;
  position: number;
}

// RFC 7230 §3.2.6 tchar: what a scheme, a parameter name or an unquoted value may be made of.
const tokenCharacter = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

function skipWhile(cursor: Cursor, characters: string): void {
  while (cursor.position < cursor.text.length && characters.includes(cursor.text.charAt(cursor.position))) {
    cursor.position++;
  }
}

function readToken(cursor: Cursor): string {
  const start = cursor.position;
  while (cursor.position < cursor.text.length && tokenCharacter.test(cursor.text.charAt(cursor.position))) {
    cursor.position++;
  }
  return cursor.text.slice(start, cursor.position);
}

/** Reads `"..."` with backslash escapes; an unterminated string runs to the end of the header rather than failing. */
function readQuoted(cursor: Cursor): string {
  let value = '';
  cursor.position++; // the opening quote
  while (cursor.position < cursor.text.length) {
    const character = cursor.text.charAt(cursor.position++);
    if (character === '"') return value;
    if (character === '\\' && cursor.position < cursor.text.length) {
      value += cursor.text.charAt(cursor.position++);
    } else {
      value += character;
    }
  }
  return value;
}

/** An unquoted value should be a token, but servers send bare URLs too: take everything up to a comma or a space. */
function readBareValue(cursor: Cursor): string {
  const start = cursor.position;
  while (cursor.position < cursor.text.length && !' \t,'.includes(cursor.text.charAt(cursor.position))) {
    cursor.position++;
  }
  return cursor.text.slice(start, cursor.position);
}

function readValue(cursor: Cursor): string {
  skipWhile(cursor, ' \t');
  return cursor.text.charAt(cursor.position) === '"' ? readQuoted(cursor) : readBareValue(cursor);
}

/** True when the token just read is followed by `=` (after optional whitespace): a parameter, not a new scheme. */
function isFollowedByEquals(cursor: Cursor): boolean {
  skipWhile(cursor, ' \t');
  return cursor.text.charAt(cursor.position) === '=';
}

function parseHeaderValue(text: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  const cursor: Cursor = { text, position: 0 };
  while (cursor.position < text.length) {
    skipWhile(cursor, ' \t,');
    const token = readToken(cursor);
    if (token === '') {
      if (cursor.position < text.length) cursor.position++; // junk: drop one character and look again
      continue;
    }
    const current = challenges.at(-1);
    if (!isFollowedByEquals(cursor)) {
      challenges.push({ scheme: token.toLowerCase(), params: {} });
      continue;
    }
    cursor.position++; // the '='
    const value = readValue(cursor);
    const name = token.toLowerCase();
    // A parameter before any scheme is junk; a repeated name keeps its first value (RFC 7235 says send each once).
    if (current !== undefined && !(name in current.params)) current.params[name] = value;
  }
  return challenges;
}

/** Every challenge in every WWW-Authenticate header, in order; junk between them is skipped. */
export function parseChallenges(headerValues: readonly string[]): Challenge[] {
  return headerValues.flatMap(parseHeaderValue);
}

/** Bearer first (a token covers many requests), then Basic; other schemes (Negotiate, ...) are not spoken here. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return (
    challenges.find((challenge) => challenge.scheme === 'bearer') ??
    challenges.find((challenge) => challenge.scheme === 'basic')
  );
}

/** `repository:a:pull,push repository:b:pull` -> one entry per scope; one `scope` parameter may carry several. */
export function parseScopes(scope: string | undefined): string[] {
  return scope === undefined ? [] : scope.split(/\s+/).filter((part) => part !== '');
}

interface ParsedScope {
  readonly resource: string;
  readonly actions: readonly string[];
}

/**
 * `type:name:actions`; the name may hold a `host:port`, so the type ends at the first colon and the actions start
 * after the last. Anything with fewer than two colons is not a scope we can merge.
 */
function parseScope(scope: string): ParsedScope | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first === -1 || first === last) return undefined;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((action) => action !== '');
  return { resource: scope.slice(0, last), actions };
}

function byCodePoint(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** One scope per resource with the union of its actions, actions and resources sorted, so equal sets compare equal. */
export function mergeScopes(scopes: readonly string[]): string[] {
  const actionsByResource = new Map<string, Set<string>>();
  const unmergeable = new Set<string>();
  for (const scope of scopes.flatMap(parseScopes)) {
    const parsed = parseScope(scope);
    if (parsed === undefined) {
      unmergeable.add(scope);
      continue;
    }
    const actions = actionsByResource.get(parsed.resource) ?? new Set<string>();
    for (const action of parsed.actions) actions.add(action);
    actionsByResource.set(parsed.resource, actions);
  }
  const merged = [...actionsByResource].map(
    ([resource, actions]) => `${resource}:${[...actions].sort(byCodePoint).join(',')}`,
  );
  return [...merged, ...unmergeable].sort(byCodePoint);
}
