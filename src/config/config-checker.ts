/**
 * The shared machinery of validation: turning "this path is wrong" into the one-line
 * `file:line:column: what is wrong; what is accepted` error, reading bounded numbers, and
 * rejecting unknown keys with a suggestion. Positions are computed only when an error is thrown.
 */
import { EXIT, LoadtestError } from '../errors.js';
import type { NumberRule } from './config-rules.js';
import { describeValue } from './describe-value.js';
import { didYouMean } from './did-you-mean.js';
import { formatKeyPath, type KeyPath, TomlPositions } from './toml-position.js';

export class ConfigChecker {
  private positions: TomlPositions | undefined;

  constructor(
    /** The path as the user gave it: messages should read like their command line. */
    private readonly file: string,
    private readonly source: string,
  ) {}

  /** Throws CONFIG_INVALID located at `path` (or its nearest ancestor found in the source). */
  fail(path: KeyPath, what: string, accepted: string): never {
    this.positions ??= TomlPositions.of(this.source);
    // Nothing of the path is in the source (a missing [settings] or [[scenario]], an empty
    // file): the error still carries a line, 1:1, where the missing table would go.
    const at = this.positions.locate(path) ?? { line: 1, column: 1 };
    const where = `${this.file}:${at.line}:${at.column}`;
    throw new LoadtestError('CONFIG_INVALID', `${where}: ${what}; ${accepted}`, {
      exitCode: EXIT.usage,
      file: this.file,
      line: at.line,
      column: at.column,
    });
  }

  /** `table[key]` checked against `rule`; `fallback` when absent, an error when that is undefined. */
  number(
    table: Readonly<Record<string, unknown>>,
    tablePath: KeyPath,
    key: string,
    rule: NumberRule,
    fallback?: number,
  ): number {
    const value = table[key];
    const path = [...tablePath, key];
    const name = formatKeyPath(path);
    if (value === undefined) {
      if (fallback !== undefined) return fallback;
      const last = tablePath[tablePath.length - 1];
      const section =
        typeof last === 'number'
          ? `this [[${formatKeyPath(tablePath.slice(0, -1))}]]`
          : `[${formatKeyPath(tablePath)}]`;
      this.fail(
        path,
        `${name} is missing`,
        `accepted: ${rule.accepted}, e.g. ${key} = ${rule.example} in ${section}`,
      );
    }
    const tooLarge =
      (typeof value === 'bigint' && value > 0n) || (typeof value === 'number' && value > rule.max);
    if (tooLarge) {
      this.fail(
        path,
        `${name} is too large, got ${describeValue(value)}`,
        `accepted: ${rule.accepted}`,
      );
    }
    const valid =
      typeof value === 'number' &&
      !Number.isNaN(value) &&
      (!rule.integer || Number.isInteger(value)) &&
      (rule.minExclusive ? value > rule.min : value >= rule.min);
    if (!valid) {
      this.fail(
        path,
        `${name} must be ${rule.noun}, got ${describeValue(value)}`,
        `accepted: ${rule.accepted}`,
      );
    }
    return value;
  }

  /** `table[key]` as a boolean; `fallback` when absent. */
  boolean(
    table: Readonly<Record<string, unknown>>,
    tablePath: KeyPath,
    key: string,
    fallback: boolean,
  ): boolean {
    const value = table[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      const path = [...tablePath, key];
      this.fail(
        path,
        `${formatKeyPath(path)} must be a boolean, got ${describeValue(value)}`,
        `accepted: true or false (without quotes), e.g. ${key} = true`,
      );
    }
    return value;
  }

  /** The first key of `table` not in `accepted`, reported with a did-you-mean suggestion. */
  rejectUnknownKeys(
    table: Readonly<Record<string, unknown>>,
    tablePath: KeyPath,
    accepted: readonly string[],
    where: string,
  ): void {
    for (const key of Object.keys(table)) {
      if (accepted.includes(key)) continue;
      const suggestion = didYouMean(key, accepted);
      const hint = suggestion === undefined ? '' : ` (did you mean \`${suggestion}\`?)`;
      this.fail(
        [...tablePath, key],
        `unknown key \`${formatKeyPath([key])}\` ${where}${hint}`,
        `accepted keys: ${accepted.join(', ')}`,
      );
    }
  }
}
