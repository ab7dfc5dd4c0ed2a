// Generates src/report/generated/report-types.ts, the TypeScript types of the JSON report, from
// schema/report.schema.json with json-schema-to-typescript: the schema is the one definition of
// the report, and src/report/types.ts re-exports these types under the names the code uses.
//
//   node scripts/gen-report-types.mjs   write the file (scripts/generate.mjs calls this)
//
// The schema is written for readers of the published contract, so it is adapted before the
// conversion, on a copy (the file itself is never changed):
// - `title`s are dropped: json-schema-to-typescript names a type after each title ("End time" →
//   `EndTime`), which would turn every documented field into a type alias. Descriptions stay and
//   become the doc comments.
// - Definitions that are only a constrained primitive (`count`, `ms`, `ratio`, timestamps …) are
//   inlined, so a field reads `p99_ms: number`, not `p99_ms: Ms`; constraints are the validator's
//   business. Object and enum definitions become named types (`latencyStats` → `LatencyStats`).
// - `if`/`then`/`else`, and a `oneOf` whose branches only require fields, express rules between
//   fields (a breaking point's fields exist only when detected; a stage has target_vus or
//   target_rate) that these types do not carry: they are left to the validator.
// - `$id` is dropped, so the root type is named `Report`, not after the schema's URL.
// The output is a pure function of the schema's bytes, the generator's version and this script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIfChanged } from './write-if-changed.mjs';
import { compile } from 'json-schema-to-typescript';

const require = createRequire(import.meta.url);
const GENERATOR_VERSION = require('json-schema-to-typescript/package.json').version;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_PATH = 'schema/report.schema.json';
export const OUTPUT_PATH = 'src/report/generated/report-types.ts';
const PRETTIER = JSON.parse(readFileSync(join(ROOT, '.prettierrc.json'), 'utf8'));

/** `$id` would name the root type after the URL; the others are explained in the header. */
const DROPPED = new Set(['$id', '$schema', 'title', 'if', 'then', 'else']);

/**
 * A oneOf/anyOf branch that only requires fields (`{ required: ['target_vus'] }`): a rule between
 * fields, like if/then, left to the validator.
 */
function onlyRequires(branch) {
  return Object.keys(branch).every(
    (key) =>
      key === 'required' ||
      (key === 'properties' && Object.values(branch.properties).every((p) => p === true)),
  );
}

const PRIMITIVE_TYPES = new Set(['integer', 'number', 'string', 'boolean', 'null']);

/** A definition that is a plain (constrained) primitive: inlined where it is referenced. */
function isPrimitive(definition) {
  const types = [definition.type].flat();
  return types.length > 0 && types.every((t) => PRIMITIVE_TYPES.has(t)) && !definition.enum;
}

/** The schema as json-schema-to-typescript should see it (see the header). */
export function adaptSchema(schema) {
  const definitions = schema.definitions ?? {};
  const inlined = new Map(
    Object.entries(definitions).filter(([, definition]) => isPrimitive(definition)),
  );
  const adapt = (node) => {
    if (Array.isArray(node)) return node.map(adapt);
    if (node === null || typeof node !== 'object') return node;
    let source = node;
    const ref = /^#\/definitions\/(.+)$/.exec(node.$ref ?? '');
    if (ref) {
      const { $ref, ...rest } = node;
      // The definition's own description ("Milliseconds, microsecond precision.") is a unit the
      // field's name already carries (`p99_ms`): only the field's description is kept.
      if (inlined.has(ref[1])) source = { ...inlined.get(ref[1]), description: undefined, ...rest };
      // A description beside a $ref would make a copy of the referenced type (LatencyStats1);
      // through allOf it documents the field and the field keeps the shared type.
      else if (Object.keys(rest).length > 0) source = { ...rest, allOf: [{ $ref }] };
    }
    const out = {};
    for (const [key, value] of Object.entries(source)) {
      if (DROPPED.has(key) || value === undefined) continue;
      if ((key === 'oneOf' || key === 'anyOf') && value.every(onlyRequires)) continue;
      // `properties` and `definitions` map names to schemas: a field may be called "title".
      if (key === 'properties' || key === 'definitions') {
        out[key] = Object.fromEntries(
          Object.entries(value)
            .filter(([name]) => key !== 'definitions' || !inlined.has(name))
            .map(([name, sub]) => [name, adapt(sub)]),
        );
      } else if (key === 'allOf') {
        // Branches that held only if/then are empty now.
        const branches = adapt(value).filter((branch) => Object.keys(branch).length > 0);
        if (branches.length > 0) out[key] = branches;
      } else {
        out[key] = adapt(value);
      }
    }
    return out;
  };
  return adapt(schema);
}

/** `latencyStats` → `LatencyStats`. */
function typeName(definitionKey) {
  return definitionKey.charAt(0).toUpperCase() + definitionKey.slice(1);
}

/** The generated module's text for the given schema file contents. */
export async function generateReportTypes(schemaText) {
  const schema = adaptSchema(JSON.parse(schemaText));
  const types = await compile(schema, 'Report', {
    bannerComment: '',
    // JSON Schema's default: an object without `additionalProperties: false` may hold any key.
    additionalProperties: true,
    unknownAny: true,
    customName: (_schema, definitionKey) =>
      definitionKey === undefined ? undefined : typeName(definitionKey),
    style: PRETTIER,
    cwd: join(ROOT, 'schema'),
  });
  // Object types as aliases, not interfaces: an alias has the implicit index signature an
  // interface lacks, so `report.errors` still passes where a Record<string, number> is expected.
  const aliases = types.replace(
    /^export interface (\w+) \{$([\s\S]*?)^\}$/gm,
    (_, name, body) => `export type ${name} = {${body}};`,
  );
  return [
    `// Generated by scripts/gen-report-types.mjs from ${SCHEMA_PATH} (npm run generate): do not`,
    `// edit. json-schema-to-typescript ${GENERATOR_VERSION}. Edit the schema, then regenerate.`,
    '',
    aliases.trimEnd(),
    '',
  ].join('\n');
}

/** Writes the generated module if its bytes differ. */
export async function writeReportTypes() {
  const schemaText = readFileSync(join(ROOT, SCHEMA_PATH), 'utf8');
  writeIfChanged(join(ROOT, OUTPUT_PATH), await generateReportTypes(schemaText));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeReportTypes();
}
