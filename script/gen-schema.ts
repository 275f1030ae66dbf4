/**
 * Write schema/image-budget.schema.json, the JSON Schema of .github/image-budget.yml, from the zod
 * schema in src/config/schema.ts, formatted with the repository's prettier settings.
 *
 * Run: `npx tsx script/gen-schema.ts`. The unit test __tests__/unit/config/json-schema.test.ts fails
 * when the committed file differs from what this script would write.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { configJsonSchema } from '../src/config/schema.js';

/** Path of the published schema, relative to the repository root. */
export const SCHEMA_FILE = 'schema/image-budget.schema.json';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The exact text of schema/image-budget.schema.json. */
export async function renderConfigJsonSchema(): Promise<string> {
  const target = path.join(root, SCHEMA_FILE);
  const options = (await prettier.resolveConfig(target)) ?? {};
  return prettier.format(JSON.stringify(configJsonSchema(), null, 2), { ...options, filepath: target });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(path.join(root, SCHEMA_FILE), await renderConfigJsonSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
