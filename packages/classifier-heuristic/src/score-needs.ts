import { ExpressionError, parseSafeExpression, type ScoreNeedsV1 } from '@plexus/core';
import { type LogicSettings, logicNames } from './logic-settings.js';

/** `heuristic/logic`: the metadata fields its rules read (`metadata.x`, `metadata["x"]`). */
export function logicNeeds(settings: LogicSettings): ScoreNeedsV1 {
  const fields = settings.rules.flatMap((rule, index) => {
    try {
      const keys = parseSafeExpression(rule.when, logicNames).keys.get('metadata') ?? [];
      return [...keys].map((name) => ({ path: `rules.${index}.when`, name }));
    } catch (error) {
      if (error instanceof ExpressionError) return []; // reported when the score is created
      throw error;
    }
  });
  return { fields };
}
