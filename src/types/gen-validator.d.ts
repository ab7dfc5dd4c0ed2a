// Types of scripts/gen-validator.mjs, for the unit test that checks the generated report
// validator is fresh (tsconfig has no allowJs, and the script is plain ESM so build needs no tsc).
declare module '*/scripts/gen-validator.mjs' {
  export const SCHEMA_PATH: string;
  export const OUTPUT_PATH: string;
  /** The generated module's text for the given schema file contents. */
  export function generateValidatorSource(schemaText: string): string;
  /** The generated module's text for the schema file as it is now. */
  export function expectedValidatorSource(): string;
  /** Writes the generated module if its bytes differ. */
  export function writeValidator(): void;
  /** Whether the generated module on disk is what writeValidator() would write now. */
  export function validatorIsFresh(): boolean;
}
