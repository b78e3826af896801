import { hashValue, sha256 } from '@plexus/core';
import type { ChatMessage, ChatRequest } from './chat-provider.js';

/** The request's fields in sorted order, as `stableStringify` writes them. */
const requestFields = [
  'labels',
  'logprobs',
  'maxTokens',
  'messages',
  'model',
  'temperature',
] as const satisfies readonly (keyof ChatRequest)[];
const knownFields = new Set<string>(requestFields);

/**
 * The response cache's key of one request: exactly `hashValue({ provider, baseUrl, request })`
 * (SHA-256 of its JSON with keys sorted), written out for the request's known shape instead of
 * through the generic sorted-keys pass, which copies every object (a few microseconds per call).
 * A request with any other field, or a message with one, takes the generic path.
 */
export function requestKey(provider: string, baseUrl: string, request: ChatRequest): string {
  const json = requestJson(provider, baseUrl, request);
  return json === undefined ? hashValue({ provider, baseUrl, request }) : sha256(json);
}

function requestJson(provider: string, baseUrl: string, request: ChatRequest): string | undefined {
  if (!isPlain(request)) return undefined;
  for (const field in request) if (!knownFields.has(field)) return undefined;
  const members: string[] = [];
  for (const field of requestFields) {
    if (field === 'messages') {
      const messages = messagesJson(request.messages);
      if (messages === undefined) return undefined;
      members.push(`"messages":${messages}`);
    } else if (field === 'labels') {
      const labels = request.labels;
      if (labels === undefined) continue;
      if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string'))
        return undefined;
      members.push(`"labels":${JSON.stringify(labels)}`);
    } else {
      const value = request[field];
      if (value === undefined) continue;
      const kind = typeof value;
      if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') return undefined;
      members.push(`"${field}":${JSON.stringify(value)}`);
    }
  }
  return `{"baseUrl":${JSON.stringify(baseUrl)},"provider":${JSON.stringify(provider)},"request":{${members.join(',')}}}`;
}

/** `[{"content":...,"role":...}, ...]`, or undefined for anything but messages of two strings. */
function messagesJson(messages: readonly ChatMessage[]): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  const parts: string[] = [];
  for (const message of messages) {
    if (
      !isPlain(message) ||
      typeof message.content !== 'string' ||
      typeof message.role !== 'string'
    )
      return undefined;
    for (const field in message) if (field !== 'content' && field !== 'role') return undefined;
    parts.push(
      `{"content":${JSON.stringify(message.content)},"role":${JSON.stringify(message.role)}}`,
    );
  }
  return `[${parts.join(',')}]`;
}

/** An object literal (no class, no `toJSON`): JSON writes exactly its fields. */
function isPlain(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !('toJSON' in value);
}
