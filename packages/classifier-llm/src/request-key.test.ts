import { hashValue } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from './chat-provider.js';
import { requestKey } from './request-key.js';

/** The key as it was computed before `requestKey`: the generic sorted-keys JSON. */
const generic = (provider: string, baseUrl: string, request: unknown) =>
  hashValue({ provider, baseUrl, request });

const base: ChatRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You sort mail.' },
    { role: 'user', content: 'Spam? "free" \\ money\n\ttoday \u0000 \u2028 é 😀' },
  ],
  labels: ['spam', 'ham'],
  temperature: 0,
  maxTokens: 256,
  logprobs: false,
};

describe('requestKey', () => {
  it('equals the generic key of the same request, whatever its fields hold', () => {
    const requests: unknown[] = [
      base,
      { ...base, labels: undefined },
      { ...base, logprobs: true, temperature: 0.7, maxTokens: 1 },
      { ...base, temperature: Number.NaN },
      { ...base, temperature: -0 },
      { ...base, messages: [] },
      { ...base, messages: [{ role: 'assistant', content: '' }] },
      { ...base, labels: [] },
      { ...base, labels: ['a "quoted" label', 'ü'] },
      // Key order of the input does not matter to either.
      {
        logprobs: false,
        temperature: 0,
        maxTokens: 256,
        labels: ['x'],
        messages: [{ content: 'c', role: 'user' }],
        model: 'm',
      },
    ];
    for (const request of requests)
      for (const [provider, baseUrl] of [
        ['openai', ''],
        ['openai', 'http://127.0.0.1:8080/v1'],
        ['llama-cpp', 'ünïcode "url"'],
      ] as const)
        expect(requestKey(provider, baseUrl, request as ChatRequest)).toBe(
          generic(provider, baseUrl, request),
        );
  });

  it('takes the generic path for a request or message with fields it does not know', () => {
    const extraField = { ...base, seed: 7 };
    const extraMessageField = {
      ...base,
      messages: [{ role: 'user', content: 'hi', name: 'someone' }],
    };
    const missingContent = { ...base, messages: [{ role: 'user' }] };
    const dated = { ...base, model: new Date(0) };
    for (const request of [extraField, extraMessageField, missingContent, dated])
      expect(requestKey('openai', '', request as unknown as ChatRequest)).toBe(
        generic('openai', '', request),
      );
  });

  it('tells requests apart that differ in any field', () => {
    const keys = new Set(
      [
        base,
        { ...base, model: 'other' },
        { ...base, labels: ['ham', 'spam'] },
        { ...base, labels: undefined },
        { ...base, temperature: 1 },
        { ...base, maxTokens: 255 },
        { ...base, logprobs: true },
        { ...base, messages: base.messages.slice(1) },
      ].map((request) => requestKey('openai', '', request)),
    );
    expect(keys.size).toBe(8);
    expect(requestKey('openai', 'http://a', base)).not.toBe(requestKey('openai', 'http://b', base));
  });
});
