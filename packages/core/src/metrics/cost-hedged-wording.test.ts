import { describe, expect, it } from 'vitest';
import { costCell } from '../report/summary-section.js';
import { costText, hedgedUnpricedModel, unknownCostReason } from './cost-shown.js';

// A hedged call's cost is unknown because its aborted duplicate reported no tokens, not because
// its model has no price: the reason must not say "no price" for a priced model.
const hedged = hedgedUnpricedModel('openai gpt-5-mini');

describe('the cost of a hedged call: unknown tokens, not "no price"', () => {
  it('names the hedged model without saying it has no price', () => {
    const text = costText({ usd: null, unpricedModels: [hedged], llmCalls: 2 });
    expect(text).toBe(
      'unknown (tokens unknown for openai gpt-5-mini: a hedged call aborted a duplicate request)',
    );
    expect(text).not.toContain('no price');
  });

  it('keeps "no price" for the unpriced models beside the hedged ones', () => {
    expect(unknownCostReason(['openai b-deployment', hedged, 'openai a-deployment'])).toBe(
      'no price for openai b-deployment, openai a-deployment; tokens unknown for openai gpt-5-mini: a hedged call aborted a duplicate request',
    );
    expect(unknownCostReason([])).toBeUndefined();
  });

  it('asks for pricing in the report only when a model has no price', () => {
    const cell = costCell({ cost_usd: null, unpriced_models: [hedged], llm_calls: 2 });
    expect(cell).not.toContain('pricing');
    expect(cell).not.toContain('no price');
    const unpriced = costCell({ cost_usd: null, unpriced_models: ['openai x'], llm_calls: 2 });
    expect(unpriced).toContain('no price for openai x: add pricing: to the score');
    // Both: the hint follows the model without a price, not the hedged call's priced model.
    const both = costCell({ cost_usd: null, unpriced_models: ['openai x', hedged], llm_calls: 3 });
    expect(both).toContain(
      'no price for openai x: add pricing: to the score; tokens unknown for openai gpt-5-mini: a hedged call aborted a duplicate request',
    );
    expect(both).not.toContain('duplicate request: add pricing');
  });
});
