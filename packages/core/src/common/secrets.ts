/**
 * The process's secrets (API keys, tokens, passwords, `Authorization` values), registered where
 * they are read, and `redact`, applied where text leaves the process: result lines, run.json,
 * reports, cache entries, MLflow payloads and terminal lines. Whatever a server sends back is
 * redacted too, since it goes out through the same points.
 */

/** What a secret is replaced with. */
export const redactedText = '[redacted]';

/**
 * Values shorter than this are not registered: too short to tell apart from ordinary text (a
 * placeholder such as `none`), and redacting them would garble ids and labels.
 */
export const shortestSecret = 8;

/** Every form of every secret, longest first (a form inside another is replaced after it). */
let forms: string[] = [];
const registered = new Set<string>();

/**
 * Environment variables whose values are secrets by their name. Not every `*_KEY`: `SORT_KEY` or
 * `CACHE_KEY` may hold an ordinary word, which would be replaced wherever it appears.
 */
const secretNames =
  /(?:^|_)(?:API_?KEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|AUTH_KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i;

/** Adds a secret: its text as is, JSON-escaped and URL-encoded. */
export function registerSecret(value: string | undefined | null): void {
  const secret = value?.trim();
  if (!secret || secret.length < shortestSecret || registered.has(secret)) return;
  registered.add(secret);
  const added = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
  forms = [...new Set([...forms, ...added])].sort((left, right) => right.length - left.length);
}

/**
 * Adds the value of an `Authorization` (or `api-key`) header: its credential after the scheme
 * (`Bearer sk-...`), or the whole value without one, and for `Basic` the decoded password.
 */
export function registerAuthorization(value: string | undefined): void {
  if (!value) return;
  const [scheme, credential] = value.trim().split(/\s+/, 2);
  // The scheme stays readable: `Bearer [redacted]`.
  if (credential === undefined) {
    registerSecret(value);
    return;
  }
  registerSecret(credential);
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    registerSecret(decoded.slice(decoded.indexOf(':') + 1));
  }
}

/**
 * Query parameters whose value is a credential, by a word of their name: `?api-key=...`,
 * `&access_token=...`, `&sig=...` (not `keyword` or `design`).
 */
const secretWords = new Set(
  'key apikey token secret password passwd pwd sig signature auth credential credentials'.split(
    ' ',
  ),
);
const isSecretParameter = (name: string) =>
  name
    .toLowerCase()
    .split(/[-_.]/)
    .some((word) => secretWords.has(word));

/**
 * Adds the password of a URL such as `https://user:secret@host/v1`, and the values of its query
 * parameters named like credentials (`https://host/v1?api-key=...`, as some gateways take the key).
 */
export function registerUrlCredentials(url: string | undefined): void {
  if (!url) return;
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      registerSecret(parsed.password);
      registerSecret(decodeURIComponent(parsed.password));
    }
    for (const [name, value] of parsed.searchParams)
      if (isSecretParameter(name)) registerSecret(value);
  } catch {
    // not a URL: nothing to register
  }
}

/**
 * URLs with credentials read from one file at most: a scorecard has a few, and every secret is
 * looked for in every text written after (a file of a million URLs must not make a million).
 */
const maxUrlsWithCredentials = 100;

/** A string shaped like a URL with a password or a query: `scheme://user:password@host...`, `...?key=`. */
const credentialUrl = /^[a-z][\w+.-]*:\/\/(?:[^/\s@]*:[^/\s@]*@|[^?\s]*\?)/i;

/**
 * Adds the password of every URL with credentials in a parsed file (a scorecard's `base_url`):
 * the file is copied into run folders and its settings reach run.json, reports and MLflow.
 */
export function registerUrlCredentialsIn(value: unknown): void {
  const seen = new Set<object>();
  let found = 0;
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      if (found < maxUrlsWithCredentials && credentialUrl.test(node)) {
        found += 1;
        registerUrlCredentials(node);
      }
      return;
    }
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    for (const child of Object.values(node)) visit(child);
  };
  visit(value);
}

/**
 * Adds the password of every `scheme://user:password@` in a text, before it is parsed: a file with
 * a mistake is quoted in the error that names it (`missing ':' after \`base_url\`: write
 * \`base_url: http://user:password@host\``), before its settings could be read; and the values of
 * query parameters named like credentials (`?api-key=...`). Linear: it looks from each `://` to
 * the next, at most 2,048 characters on.
 */
export function registerUrlCredentialsInText(text: string): void {
  let found = 0;
  for (let at = text.indexOf('://'); at !== -1 && found < maxUrlsWithCredentials; ) {
    const next = text.indexOf('://', at + 3);
    // Up to the next `://` (each character looked at once) and 2,048 characters at most.
    const rest = text.slice(at + 3, Math.min(next === -1 ? text.length : next, at + 3 + 2048));
    at = next;
    // A query's credentials (`?api-key=...`): the URL up to a space, quote or bracket.
    const query = /^[^\s"'`,{}[\]]*\?[^\s"'`,{}[\]]*/.exec(rest)?.[0];
    if (query) registerUrlCredentials(`http://${query}`);
    const password = /^[^/\s@:]*:([^/\s@]*)@/.exec(rest)?.[1];
    if (query || password) found += 1;
    if (!password) continue;
    registerSecret(password);
    try {
      registerSecret(decodeURIComponent(password));
    } catch {
      // a `%` that starts no escape: the text as is is registered
    }
  }
}

/** Adds the values of variables named like secrets (`*_API_KEY`, `*_TOKEN`, `*_PASSWORD`, ...). */
export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env)) {
    if (secretNames.test(name)) registerSecret(value);
  }
}

/** The text with every registered secret replaced by `[redacted]`. */
export function redact(text: string): string {
  let result = text;
  for (const form of forms) {
    if (result.includes(form)) result = result.split(form).join(redactedText);
  }
  return result;
}

/**
 * `text.slice(from, to)` redacted, a secret the slice would cut in two included whole first (then
 * replaced): a quote around a match must not keep a piece of a secret that the line's redaction,
 * which finds whole secrets only, would miss.
 */
export function redactedSlice(text: string, from: number, to: number): string {
  let start = from;
  let end = to;
  for (const form of forms) {
    let at = text.indexOf(form, Math.max(0, start - form.length + 1));
    for (; at !== -1 && at < end; at = text.indexOf(form, at + 1)) {
      start = Math.min(start, at);
      end = Math.max(end, at + form.length);
    }
  }
  return redact(text.slice(start, end));
}

/** Forgets every secret (for tests). */
export function clearSecrets(): void {
  forms = [];
  registered.clear();
}
