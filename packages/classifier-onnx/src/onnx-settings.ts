import { z } from 'zod';

export const onnxSettingsSchema = z
  .object({
    /** The .onnx file, relative to the scorecard. */
    model: z.string().min(1),
    /**
     * What the model takes: `text` (a string tensor, e.g. a scikit-learn pipeline), `tokens`
     * (input_ids/attention_mask from `tokenizer`), `tabular` (`numeric_fields` as floats);
     * `auto` decides from the model's first input type.
     */
    input: z.enum(['auto', 'text', 'tokens', 'tabular']).default('auto'),
    /** Model input to feed; default discovered from the model. */
    input_name: z.string().min(1).optional(),
    /** Output with the label (string or integer); default the first such output. */
    label_output: z.string().min(1).optional(),
    /** Output with class probabilities or logits ([batch, classes]); default the first such output. */
    probability_output: z.string().min(1).optional(),
    /** Label of each probability column or integer label; default from the model, else the declared labels. */
    class_labels: z.array(z.string().min(1)).min(1).optional(),
    /** `tabular`: metadata fields, in the model's column order. */
    numeric_fields: z.array(z.string().min(1)).default([]),
    /** `tokens`: a Hugging Face tokenizer.json, relative to the scorecard. */
    tokenizer: z.string().min(1).optional(),
    /** `tokens`: longest token sequence; longer texts are truncated. */
    max_length: z.number().int().min(2).max(8192).default(256),
    /** `tokens` with an encoder ([batch, tokens, hidden] output): how token vectors become one. */
    pooling: z.enum(['mean', 'cls']).default('mean'),
    /** L2-normalise pooled embeddings (as sentence-transformers models do). */
    normalize_embeddings: z.boolean().default(true),
    /** An ONNX classifier over the pooled embedding (float [batch, hidden] in), relative to the scorecard. */
    head: z.string().min(1).optional(),
    /** Whether the probability output holds probabilities or logits (softmax applied); `auto` checks the rows. */
    scores: z.enum(['auto', 'probabilities', 'logits']).default('auto'),
    /** Items per `run` call. */
    batch_size: z.number().int().min(1).max(4096).default(64),
    intra_op_threads: z.number().int().min(0).max(256).default(1),
    inter_op_threads: z.number().int().min(0).max(256).default(1),
    /** Binary scores: choose `positive_label` when its probability is at least this. */
    threshold: z.number().gt(0).lt(1).optional(),
    positive_label: z.string().min(1).optional(),
  })
  .strict();

export type OnnxSettings = z.output<typeof onnxSettingsSchema>;
