/**
 * Tokens added up over result lines. A line whose tokens are not all known (`tokens_unknown`: an
 * endpoint that reported no usage, a hedged call's aborted attempt) makes the totals unknown: a
 * sum of the known ones would pass for the whole, as $0 did for an unpriced model.
 */
export class TokenTally {
  private input = 0;
  private output = 0;
  private unknown = 0;

  add(line: { input_tokens: number; output_tokens: number; tokens_unknown?: true }): void {
    this.input += line.input_tokens;
    this.output += line.output_tokens;
    if (line.tokens_unknown === true) this.unknown += 1;
  }

  /**
   * `input_tokens` and `output_tokens`, null when unknown, then `tokens_unknown_results` (the
   * results whose tokens are unknown) saying why; that field is absent when every count is known.
   */
  finish(): {
    input_tokens: number | null;
    output_tokens: number | null;
    tokens_unknown_results?: number;
  } {
    if (this.unknown === 0) return { input_tokens: this.input, output_tokens: this.output };
    return { input_tokens: null, output_tokens: null, tokens_unknown_results: this.unknown };
  }

  /** Input tokens so far, null once some are unknown (no object made per line: see `finish`). */
  get inputTokens(): number | null {
    return this.unknown === 0 ? this.input : null;
  }

  get outputTokens(): number | null {
    return this.unknown === 0 ? this.output : null;
  }

  /** Results whose tokens are unknown. */
  get unknownResults(): number {
    return this.unknown;
  }
}
