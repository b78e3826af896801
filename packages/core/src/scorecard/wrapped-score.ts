import type { ScoreV1 } from '../spec/score-spec.js';

/**
 * The score with another fingerprint and `doScore`, all else read from the score itself: the one
 * wrapper behind `calibratedScore` and `sampledScore`. Methods are bound to the score, so a class
 * with private fields still works, and a wrapped score can be wrapped again (calibrated samples).
 */
export function wrappedScore(
  score: ScoreV1,
  fingerprint: string,
  doScore: ScoreV1['doScore'],
): ScoreV1 {
  return new Proxy(score, {
    get(target, property) {
      if (property === 'fingerprint') return fingerprint;
      if (property === 'doScore') return doScore;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
