export { main } from './main.js';
export { formatSummaryTable } from './summary-table.js';
