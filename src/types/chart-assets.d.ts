// Types of scripts/chart-assets.mjs, imported by vitest.config.ts (tsconfig has no allowJs).
declare module '*/scripts/chart-assets.mjs' {
  /** `define` entries holding the chart library's script and stylesheet as string literals. */
  export function chartAssetDefines(): Record<'__UPLOT_JS__' | '__UPLOT_CSS__', string>;
}
