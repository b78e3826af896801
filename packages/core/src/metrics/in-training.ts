/**
 * Answers a score marks as given on its own training data (`trace.in_training: true`: a forest
 * whose model remembers the texts it was trained on). Accuracy over them measures remembering,
 * not predicting: the metrics count them and give the accuracy over the other items beside.
 */
export class InTrainingTally {
  private marked = 0;
  private othersCorrect = 0;
  private others = 0;

  /** An answered line: its trace, and whether it was right (undefined without a gold label). */
  add(trace: unknown, correct: boolean | undefined): void {
    const marked = (trace as { in_training?: unknown } | undefined)?.in_training === true;
    if (marked) this.marked += 1;
    else if (correct !== undefined) {
      this.others += 1;
      if (correct) this.othersCorrect += 1;
    }
  }

  /**
   * `n_in_training` (answered items marked), `n_not_in_training` (labelled answers not marked) and
   * `accuracy_not_in_training` over them (null when there are none); absent when none is marked.
   */
  finish(): {
    n_in_training?: number;
    n_not_in_training?: number;
    accuracy_not_in_training?: number | null;
  } {
    if (this.marked === 0) return {};
    return {
      n_in_training: this.marked,
      n_not_in_training: this.others,
      accuracy_not_in_training: this.others > 0 ? this.othersCorrect / this.others : null,
    };
  }
}
