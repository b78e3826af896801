/**
 * Characters a terminal acts on instead of showing: C0 controls but tab and newline (escape
 * sequences start with ESC; a lone carriage return rewrites the line), DEL, C1 controls (U+009B
 * starts a sequence on its own), and the bidirectional overrides and isolates that reorder what
 * is shown (U+202A-U+202E, U+2066-U+2069).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `\u001b` for ESC: the same spelling as JSON, so escaped JSON still parses to the same value. */
function escapeCharacter(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text from data (ids, column names, labels, error messages, score names) made safe to print to
 * a terminal or a log: control characters are shown as `\u001b`-style escapes, so a dataset cannot
 * change the window title, clear the screen or hide text. Newlines and tabs are kept.
 */
export function terminalSafe(text: string): string {
  unsafe.lastIndex = 0;
  return unsafe.test(text) ? text.replace(unsafe, escapeCharacter) : text;
}
