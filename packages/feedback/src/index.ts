export {
  type AgreementReport,
  feedbackAgreement,
  type MonthAgreement,
  type ReviewerAgreement,
  type RunAnswers,
  type ScoreAgreement,
  scoreAgreement,
} from './agreement.js';
export {
  fleissKappa,
  krippendorffAlphaNominal,
  type PairAgreement,
  pairAgreement,
} from './agreement-statistics.js';
export {
  type FeedbackDefaults,
  type FeedbackFile,
  type FeedbackRecord,
  feedbackRecord,
  readFeedbackFile,
} from './feedback-file.js';
export {
  type FeedbackGold,
  feedbackGold,
  type GoldRule,
  goldFromReviews,
  latestPerReviewer,
  majorityLabel,
  type ReviewGold,
} from './feedback-gold.js';
export {
  defaultFeedbackFile,
  FeedbackStore,
  feedbackDbPath,
  type ImportCounts,
} from './feedback-store.js';
export { Names } from './queue-table.js';
export {
  type QueueItem,
  type QueueOptions,
  type QueueOrder,
  type ReviewQueue,
  reviewQueue,
  scoreInRun,
} from './review-queue.js';
export { type RunResult, readRunAnswers, readRunResults } from './run-answers.js';
export { reviewQueueOfRun } from './run-queue.js';
