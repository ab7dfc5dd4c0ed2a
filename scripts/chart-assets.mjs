// The charting library the HTML report inlines (uPlot: MIT, ~50 kB minified, no dependencies).
// Its minified script and stylesheet are read from node_modules at build time and handed to the
// bundle as compile-time constants, so dist/cli.js needs no node_modules at run time and the
// report file needs no network. The same constants are defined for the tests (vitest.config.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** esbuild/vite `define` entries: `__UPLOT_JS__` and `__UPLOT_CSS__` as string literals. */
export function chartAssetDefines() {
  const read = (path) => readFileSync(require.resolve(path), 'utf8');
  return {
    __UPLOT_JS__: JSON.stringify(read('uplot/dist/uPlot.iife.min.js')),
    __UPLOT_CSS__: JSON.stringify(read('uplot/dist/uPlot.min.css')),
  };
}
