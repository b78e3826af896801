/**
 * OpenAI's reasoning models by name (`gpt-5`, `gpt-5.4-mini`, `o1`, `o3-mini`, `o4-mini`, dated or
 * `openai/` too): they answer 400 to `max_tokens` ("use 'max_completion_tokens'") and to any
 * `temperature` but their default (1). Scores and `plexus optimize`'s optimizer both ask them.
 */
export function isReasoningModel(model: string): boolean {
  return /^(?:openai\/)?(?:gpt-5|o[1-9])(?:$|[-.])/i.test(model.trim());
}
