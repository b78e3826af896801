export { type ConformanceOptions, describeScoreConformance } from './conformance.js';
export { containsFactory, testPlugin } from './contains-score.js';
