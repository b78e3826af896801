// A graph item's usage, added node by node, names the model without a price even when another
// node's hedged call also left its cost unknown.
import { hedgedUnpricedModel } from '@plexus/core';
import { expect, it } from 'vitest';
import { addUsage, emptyUsage } from './usage-tally.js';

it('keeps the model without a price when a later node was only hedged', () => {
  const item = emptyUsage();
  addUsage(item, { ...emptyUsage(), calls: 1, costUsd: null, unpricedModel: 'openai my-model' });
  addUsage(item, {
    ...emptyUsage(),
    calls: 2,
    costUsd: null,
    unpricedModel: hedgedUnpricedModel('openai gpt-4o-mini'),
  });
  expect(item).toMatchObject({ calls: 3, costUsd: null, unpricedModel: 'openai my-model' });
});
