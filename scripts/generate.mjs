// `npm run generate`: writes src/report/generated/ from schema/report.schema.json, the one
// definition of the report: the validator (scripts/gen-validator.mjs, ajv standalone code) and
// the TypeScript types (scripts/gen-report-types.mjs, json-schema-to-typescript).
//
// The folder is a build output, gitignored like node_modules: npm ci runs this (`prepare`), and
// so do typecheck, test, lint and build (scripts/build.mjs), so a schema edit reaches the types
// and the validator before anything reads them.
import { fileURLToPath } from 'node:url';
import { writeReportTypes } from './gen-report-types.mjs';
import { writeValidator } from './gen-validator.mjs';

export async function generate() {
  writeValidator();
  await writeReportTypes();
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await generate();
}
