// An item whose calls had unknown costs for two reasons keeps the one the user can act on.
import { expect, it } from 'vitest';
import { hedgedUnpricedModel, keptUnpricedModel, unknownCostReason } from './cost-shown.js';

it('keeps a model without a price over a hedged call of a priced model, in either order', () => {
  const hedged = hedgedUnpricedModel('openai gpt-4o-mini');
  expect(keptUnpricedModel(hedged, 'openai my-model')).toBe('openai my-model');
  expect(keptUnpricedModel('openai my-model', hedged)).toBe('openai my-model');
  expect(keptUnpricedModel(undefined, hedged)).toBe(hedged);
  expect(keptUnpricedModel(hedged, undefined)).toBe(hedged);
  expect(keptUnpricedModel('openai a', 'openai b')).toBe('openai a');
  expect(unknownCostReason([keptUnpricedModel(hedged, 'openai my-model')!])).toBe(
    'no price for openai my-model',
  );
});
