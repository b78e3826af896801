import { HttpRequestError, httpRequest, keepAliveAgents } from './http-request.js';

/**
 * A `fetch` for SDKs (`openai`, `@huggingface/inference`) on Plexus's `node:http` requests with
 * keep-alive agents: the same requests and answers, without undici's per-call machinery.
 */
export function createHttpFetch(): typeof fetch {
  const agents = keepAliveAgents();
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body =
      typeof init.body === 'string'
        ? init.body
        : init.body
          ? Buffer.from(await new Response(init.body).arrayBuffer())
          : undefined;
    const method = init.method ?? 'GET';
    let answer: Awaited<ReturnType<typeof httpRequest>>;
    try {
      answer = await httpRequest(url, {
        method,
        headers,
        body,
        agents,
        signal: init.signal ?? undefined,
      });
    } catch (error) {
      // SDKs recognise an abort by its name, as `fetch` reports it.
      if (error instanceof HttpRequestError && error.reason === 'aborted')
        throw new DOMException('This operation was aborted', 'AbortError');
      throw error instanceof HttpRequestError ? error.cause : error;
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
    }
    const empty = answer.status === 204 || answer.status === 304 || method === 'HEAD';
    return new Response(empty ? null : answer.body, {
      status: answer.status,
      headers: responseHeaders,
    });
  }) as typeof fetch;
}
