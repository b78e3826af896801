/** Characters a POSIX shell reads as part of a word without quotes. */
const plainWord = /^[A-Za-z0-9_/.,:@%+=-]+$/;

/**
 * A path as a command Plexus prints must show it to be pasted into a shell: as it is when it holds
 * only plain characters, else in single quotes ("--resume runs/my run" resumed "runs/my"). The CLI
 * prints its commands with it too.
 */
export function shellWord(text: string): string {
  return plainWord.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
