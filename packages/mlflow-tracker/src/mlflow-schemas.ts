import { z } from 'zod';

// Lenient: only the fields Plexus reads; everything else passes through untouched.

const tagList = z
  .array(z.looseObject({ key: z.string(), value: z.string().optional() }))
  .optional();

export const experimentSchema = z.looseObject({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().optional(),
});

export const runSchema = z.looseObject({
  info: z.looseObject({
    run_id: z.string(),
    experiment_id: z.string(),
    status: z.string().optional(),
    artifact_uri: z.string(),
    run_name: z.string().optional(),
  }),
  data: z
    .looseObject({
      metrics: z.array(z.looseObject({ key: z.string(), value: z.number() })).optional(),
      params: z.array(z.looseObject({ key: z.string(), value: z.string() })).optional(),
      tags: tagList,
    })
    .optional(),
  inputs: z
    .looseObject({
      dataset_inputs: z
        .array(z.looseObject({ dataset: z.looseObject({ name: z.string(), digest: z.string() }) }))
        .optional(),
    })
    .optional(),
});

export const modelVersionSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  creation_timestamp: z.union([z.number(), z.string()]).optional(),
  tags: tagList,
});

export const artifactListSchema = z.looseObject({
  files: z
    .array(
      z.looseObject({
        path: z.string(),
        is_dir: z.boolean().optional(),
        file_size: z.union([z.number(), z.string()]).optional(),
      }),
    )
    .optional(),
});

export const experimentResponse = z.looseObject({ experiment: experimentSchema });
export const runResponse = z.looseObject({ run: runSchema });
export const runListResponse = z.looseObject({ runs: z.array(runSchema).optional() });
export const modelVersionResponse = z.looseObject({ model_version: modelVersionSchema });
export const modelVersionListResponse = z.looseObject({
  model_versions: z.array(modelVersionSchema).optional(),
});
export const registeredModelResponse = z.looseObject({
  registered_model: z.looseObject({ name: z.string() }),
});
export const downloadUriResponse = z.looseObject({ artifact_uri: z.string() });
export const anyResponse = z.looseObject({});
