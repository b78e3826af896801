// The request shapes the OpenAI-compatible test server reads, apart from the server so that its
// batch endpoints can read them too.

/** A fault the server can answer with instead of a label. */
export type Fault = '401' | '429' | '500' | 'hang' | 'malformed' | 'reset' | 'cut' | 'quota';

/** A chat completion (or Hugging Face task) request body, as far as the server reads it. */
export interface ChatBody {
  /** Hugging Face task requests. */
  inputs?: string;
  parameters?: { candidate_labels?: string[] };
  model?: string;
  messages?: { role: string; content: unknown }[];
  response_format?: {
    type?: string;
    json_schema?: { schema?: { properties?: { label?: { enum?: string[] } } } };
  };
  logprobs?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
}
