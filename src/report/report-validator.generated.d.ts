// Types of report-validator.generated.js, which scripts/gen-validator.mjs writes (npm run build).
import type { ValidateFunction } from 'ajv';

/** sha256 (hex) of the bytes of schema/report.schema.json the validator was generated from. */
export declare const SCHEMA_SHA256: string;
/** The report schema's validator: returns whether `data` is valid and leaves `.errors` set. */
export declare const validate: ValidateFunction;
export default validate;
