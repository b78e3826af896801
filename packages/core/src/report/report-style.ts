/** The report's CSS (also for pages that reuse its parts, such as `plexus view`). */
export const reportStyle = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2937; background: #f8fafc; }
.layout { display: grid; grid-template-columns: 210px minmax(0, 1fr); }
nav.toc { position: sticky; top: 0; height: 100vh; overflow-y: auto; box-sizing: border-box; padding: 16px 12px; border-right: 1px solid #e5e7eb; background: #fff; font-size: 13px; }
nav.toc a { display: block; color: #1f2937; text-decoration: none; padding: 3px 6px; border-radius: 4px; overflow-wrap: anywhere; }
nav.toc a:hover { background: #eef2ff; } nav.toc .value { color: #6b7280; float: right; margin-left: 6px; }
nav.toc .group { color: #6b7280; font-size: 11px; text-transform: uppercase; margin: 12px 6px 4px; }
nav.toc input { width: 100%; box-sizing: border-box; padding: 4px 6px; margin-top: 4px; }
header, main { max-width: 1200px; padding: 16px 24px; }
header { border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 0 0 12px; } h3 { font-size: 15px; margin: 20px 0 8px; }
h3 small, th small { font-weight: normal; color: #6b7280; }
.meta { color: #4b5563; } .meta span { margin-right: 18px; }
.note, .muted { color: #6b7280; } .note { font-size: 13px; }
.warning { color: #b45309; border-left: 3px solid #b45309; padding-left: 8px; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 16px 20px; margin: 16px 0; scroll-margin-top: 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px 10px; min-width: 110px; }
.card .name { color: #6b7280; font-size: 12px; } .card .value { font-size: 18px; font-weight: 600; } .card .note { color: #6b7280; font-size: 11px; }
table { border-collapse: collapse; }
.summary td, .summary th { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
.summary td.name { max-width: 240px; overflow-wrap: anywhere; }
.summary .ci, .summary .reason { color: #6b7280; font-size: 11px; white-space: nowrap; }
.summary .reason { white-space: normal; max-width: 200px; text-align: right; }
.heatmap-wrap { overflow-x: auto; }
.heatmap th, .heatmap td { border: 1px solid #f1f5f9; }
.heatmap .cell { min-width: 34px; height: 26px; text-align: center; font-variant-numeric: tabular-nums; }
.heatmap.compact .cell { min-width: 9px; width: 9px; height: 10px; padding: 0; }
.heatmap.compact th.column { padding: 0; width: 9px; max-width: 9px; }
.heatmap.compact th, .heatmap.compact td { border-width: 0 1px 1px 0; }
.heatmap .row { text-align: right; padding-right: 6px; font-weight: normal; white-space: nowrap; max-width: 240px; overflow: hidden; text-overflow: ellipsis; }
.heatmap .column { vertical-align: bottom; font-weight: normal; }
.heatmap .column span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; display: inline-block; max-height: 160px; overflow: hidden; }
.heatmap.compact .column span { font-size: 9px; line-height: 10px; }
.heatmap.compact .row { font-size: 10px; line-height: 10px; max-width: 170px; }
.heatmap .corner { font-size: 11px; color: #6b7280; font-weight: normal; }
.classes td, .classes th, .items td, .items th { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
.number { text-align: right !important; font-variant-numeric: tabular-nums; }
.bars { width: 240px; } .bar { height: 6px; margin: 2px 0; border-radius: 3px; }
.bar.gold, .legend.gold { background: #2563eb; } .bar.predicted, .legend.predicted { background: #f59e0b; }
.legend { color: #fff; padding: 0 4px; border-radius: 3px; font-size: 11px; font-weight: normal; }
.items { width: 100%; table-layout: fixed; }
.items th:nth-child(1) { width: 120px; } .items th:nth-child(2) { width: 36%; } .items th:nth-child(3), .items th:nth-child(4) { width: 90px; } .items th:nth-child(5) { width: 76px; }
.items td { overflow-wrap: anywhere; }
.items .kind { font-size: 11px; color: #6b7280; } .items .kind-error .kind { color: #b91c1c; } .items .kind-misclassified .kind { color: #b45309; }
.items .text, .items .detail { white-space: pre-wrap; }
.items mark { background: #fde68a; padding: 0 1px; }
dl.fields { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; }
dl.fields dt { color: #6b7280; } dl.fields dd { margin: 0; white-space: pre-wrap; }
details summary { cursor: pointer; color: #1d4ed8; }
details.sample { margin-top: 12px; }
.calls { margin-top: 6px; }
.call .message { margin: 4px 0 4px 12px; } .call .role { font-size: 11px; color: #6b7280; text-transform: uppercase; }
.call pre { margin: 2px 0; white-space: pre-wrap; overflow-wrap: anywhere; background: #f1f5f9; padding: 4px 6px; border-radius: 4px; font-size: 12px; max-height: 320px; overflow-y: auto; }
.call .answer pre { background: #ecfdf5; }
tr.hidden { display: none; }
/* Sections out of view are not laid out until scrolled to: a page of thousands of rows opens fast. */
section.score { content-visibility: auto; contain-intrinsic-size: auto 1800px; }
/* Reliability diagram: bars accuracy per confidence bin, dots mean confidence, dashed diagonal. */
svg.reliability { font-size: 10px; fill: currentColor; }
svg.reliability .frame { fill: none; stroke: #ccc; }
svg.reliability .diagonal { stroke: #888; stroke-dasharray: 4 3; }
svg.reliability .bin { fill: rgba(37, 99, 235, 0.35); stroke: rgb(37, 99, 235); }
svg.reliability .mean { fill: rgb(220, 38, 38); }
`;
