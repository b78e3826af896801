// Writes dist/scorecard.schema.json from the zod schema, so editors can check scorecards.
import { writeFileSync } from 'node:fs';
import { scorecardJsonSchema } from '../dist/index.js';

const schema = {
  $id: 'https://plexus.dev/scorecard.schema.json',
  title: 'Plexus scorecard',
  ...scorecardJsonSchema(),
};
writeFileSync(
  new URL('../dist/scorecard.schema.json', import.meta.url),
  `${JSON.stringify(schema, null, 2)}\n`,
);
