/**
 * Minimal ANSI styling. Each helper closes only what it opened (39 resets the foreground, 22
 * bold/dim), so styles nest. With `enabled` false every helper returns its input unchanged: the
 * caller decides (TTY, NO_COLOR, FORCE_COLOR), render code never looks at the environment.
 */
export interface Colors {
  readonly enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

function style(open: number, close: number): (s: string) => string {
  return (s) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);
}

const ON: Colors = {
  enabled: true,
  red: style(31, 39),
  green: style(32, 39),
  yellow: style(33, 39),
  cyan: style(36, 39),
  bold: style(1, 22),
  dim: style(2, 22),
};

const plain = (s: string): string => s;

const OFF: Colors = {
  enabled: false,
  red: plain,
  green: plain,
  yellow: plain,
  cyan: plain,
  bold: plain,
  dim: plain,
};

export function colors(enabled: boolean): Colors {
  return enabled ? ON : OFF;
}
