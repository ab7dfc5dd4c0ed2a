/**
 * Validates XML against the JUnit schema in test/fixtures/junit/junit.xsd (the Ant/Surefire
 * format CI reporters read) with libxml2's xmllint, the reference validator (Debian: libxml2-utils, installed
 * by .ci/run). A missing xmllint fails the test with the install line, never skips it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const JUNIT_XSD = fileURLToPath(new URL('../fixtures/junit/junit.xsd', import.meta.url));

export interface SchemaCheck {
  valid: boolean;
  /** xmllint's messages (stderr). */
  output: string;
}

export function validateJunitXml(xml: string): SchemaCheck {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('xmllint is missing: apt-get install -y libxml2-utils (as .ci/run does)');
  }
  const result = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, '-'], {
    input: xml,
    encoding: 'utf8',
  });
  return { valid: result.status === 0, output: result.stderr };
}
