import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, PlexusError, redact } from '@plexus/core';
import { comparePageFor } from './compare-route.js';
import { contentSecurityPolicy, escapeHtml, page } from './html.js';
import { filterItems, filterOf } from './item-filter.js';
import { itemPage } from './item-page.js';
import { listPage } from './list-page.js';
import { openRun, runFile, runMetrics } from './run-folders.js';
import { listRuns } from './run-list.js';
import { runPage } from './run-page.js';

/** An answer: status, HTML (or a file to stream) and extra headers. */
interface Answer {
  status: number;
  html?: string;
  file?: string;
  headers?: Record<string, string>;
}

const notFound: Answer = {
  status: 404,
  html: page('not found', '<h1>Not found</h1><p>No such run or page. <a href="/">All runs</a></p>'),
};

/** The report's own policy: its inline script filters its rows; nothing leaves the page. */
const reportPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

async function runAnswer(root: string, name: string, query: URLSearchParams): Promise<Answer> {
  const run = await openRun(root, name);
  if (!run) return notFound;
  const { metrics, source, olderRun } = await runMetrics(run);
  await run.texts.ensure(run.index.itemsWithoutText());
  let filter = filterOf(query);
  let filtered = filterItems(run.index, filter, run.texts);
  // A page past the end (the run was replaced, a link kept): the last page.
  if (filter.page > filtered.pages) {
    filter = { ...filter, page: filtered.pages };
    filtered = filterItems(run.index, filter, run.texts);
  }
  const rows = filtered.lines.map((number) => ({ number, line: run.index.readLine(number) }));
  const hasReport = runFile(run.dir, 'report.html') !== undefined;
  const html = runPage({
    name,
    info: run.info,
    metrics,
    metricsSource: source,
    olderRun,
    normalizationProblem: run.scoring.problem,
    index: run.index,
    texts: run.texts,
    filter,
    filtered,
    rows,
    hasReport,
  });
  return { status: 200, html };
}

async function itemAnswer(root: string, name: string, itemId: string): Promise<Answer> {
  const run = await openRun(root, name);
  const numbers = run?.index.linesOf(itemId);
  if (!run || !numbers) return notFound;
  const lines = numbers.map((number) => run.index.readLine(number));
  const stored = lines.find((line) => typeof line.text === 'string');
  // The line keeps the whole text, or its start: then the dataset gives the rest when it can.
  const whole =
    stored?.text !== undefined && stored.text_length === undefined
      ? stored.text
      : await run.texts.fullText(itemId);
  const text = whole ?? stored?.text ?? null;
  const html = itemPage({
    run: name,
    itemId,
    text,
    textLength: stored?.text_length ?? stored?.text?.length ?? text?.length ?? null,
    textProblem: run.texts.problem,
    lines,
  });
  return { status: 200, html };
}

/** Splits the path into decoded segments; undefined when a segment is not valid percent-encoding. */
function segments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

/** Routes a request to its page; every path not listed here is a 404. */
export async function answer(root: string, url: URL): Promise<Answer> {
  const parts = segments(url.pathname);
  if (!parts) return notFound;
  const [first, name, third, fourth, ...rest] = parts;
  if (first === undefined) return { status: 200, html: listPage(await listRuns(root), root) };
  if (first === 'compare' && name === undefined) {
    const html = await comparePageFor(root, url.searchParams);
    return html === undefined ? notFound : { status: 200, html };
  }
  if (first !== 'run' || name === undefined || rest.length > 0) return notFound;
  if (third === undefined) return runAnswer(root, name, url.searchParams);
  if (third === 'item' && fourth !== undefined) return itemAnswer(root, name, fourth);
  // An id `.` or `..` comes in the query (see `itemPath`).
  const queried = url.searchParams.get('id');
  if (third === 'item' && queried !== null) return itemAnswer(root, name, queried);
  if (third === 'report.html' && fourth === undefined) {
    const run = await openRun(root, name);
    const report = run && runFile(run.dir, 'report.html');
    if (!report) return notFound;
    return {
      status: 200,
      file: report,
      headers: { 'content-security-policy': reportPolicy },
    };
  }
  return notFound;
}

/** Host names a loopback viewer answers to: a page elsewhere cannot reach it by DNS rebinding. */
function hostAllowed(request: IncomingMessage, host: string): boolean {
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return true;
  const name = (request.headers.host ?? '').replace(/:\d+$/, '');
  return ['127.0.0.1', 'localhost', '[::1]'].includes(name);
}

async function handle(
  root: string,
  host: string,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  let result: Answer;
  if (request.method !== 'GET' && request.method !== 'HEAD')
    result = { status: 405, html: page('method not allowed', '<h1>Only GET</h1>') };
  else if (!hostAllowed(request, host))
    result = { status: 403, html: page('forbidden', '<h1>Unknown host name</h1>') };
  else {
    try {
      result = await answer(root, new URL(request.url ?? '/', 'http://viewer.invalid'));
    } catch (error) {
      const status = PlexusError.isInstance(error) ? 400 : 500;
      const message = escapeHtml(redact(errorMessage(error)));
      result = {
        status,
        html: page('error', `<h1>Cannot show this page</h1><p class="problem">${message}</p>`),
      };
    }
  }
  response.writeHead(result.status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    ...result.headers,
  });
  if (request.method === 'HEAD') response.end();
  else if (result.file) createReadStream(result.file).pipe(response);
  // Pages show data (a dataset's texts too): what a secret would reach is redacted, as report.html.
  else response.end(redact(result.html ?? ''));
}

export interface Viewer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts the viewer over the runs folder `root` on `host:port` (port 0: any free port). */
export async function startViewer(options: {
  root: string;
  host?: string;
  port?: number;
}): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    handle(options.root, host, request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
