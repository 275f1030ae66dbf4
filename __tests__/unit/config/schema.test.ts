import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { SCHEMA_FILE, renderConfigJsonSchema } from '../../../script/gen-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('schema/image-budget.schema.json is up to date (run: npx tsx script/gen-schema.ts)', async () => {
  const committed = readFileSync(path.join(root, SCHEMA_FILE), 'utf8');
  expect(committed).toBe(await renderConfigJsonSchema());
});

test('the JSON Schema rejects unknown keys and knows the size pattern', async () => {
  const schema = JSON.parse(await renderConfigJsonSchema()) as {
    additionalProperties: boolean;
    properties: { defaults: { properties: Record<string, { anyOf?: { pattern?: string }[] }> } };
  };
  expect(schema.additionalProperties).toBe(false);
  const pattern = new RegExp(schema.properties.defaults.properties['max-size']!.anyOf![1]!.pattern!);
  expect(['500MB', '1.2GiB', '512 MiB', '1234'].every((s) => pattern.test(s))).toBe(true);
  expect(['5 GB', 'abc', '5G'].some((s) => pattern.test(s))).toBe(false);
});
