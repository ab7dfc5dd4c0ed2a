/**
 * src/report/report-validator.generated.js is ajv's standalone code for the report schema,
 * written by scripts/gen-validator.mjs during `npm run build` and committed. These tests fail when
 * the schema (or ajv, or the generator) changed without a rebuild, so a stale validator cannot
 * check reports against an older schema than the one we publish.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT_PATH, SCHEMA_PATH, expectedValidatorSource } from '../../scripts/gen-validator.mjs';
import { SCHEMA_SHA256 } from '../../src/report/report-validator.generated.js';

const ROOT = new URL('../../', import.meta.url);
const STALE = `${OUTPUT_PATH} is out of date with ${SCHEMA_PATH}: run npm run build`;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('generated report validator', () => {
  it('was generated from the current bytes of the report schema', () => {
    const schemaText = readFileSync(new URL(SCHEMA_PATH, ROOT), 'utf8');
    expect(SCHEMA_SHA256, STALE).toBe(sha256(schemaText));
  });

  it('is byte-identical to what the generator writes now', () => {
    // Compared by hash: a 200 kB string diff would bury the message.
    const onDisk = readFileSync(new URL(OUTPUT_PATH, ROOT), 'utf8');
    expect(sha256(onDisk), STALE).toBe(sha256(expectedValidatorSource()));
  });
});
