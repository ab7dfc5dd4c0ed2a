/**
 * uPlot's minified script and stylesheet, inlined into every HTML report so the file opens with
 * no network. The text is put in at build time (scripts/chart-assets.mjs, used by the bundle and
 * by the tests); render code never reads a file.
 */
declare const __UPLOT_JS__: string | undefined;
declare const __UPLOT_CSS__: string | undefined;

export interface ChartLibrary {
  js: string;
  css: string;
}

export const UPLOT: ChartLibrary = {
  js: typeof __UPLOT_JS__ === 'string' ? __UPLOT_JS__ : '',
  css: typeof __UPLOT_CSS__ === 'string' ? __UPLOT_CSS__ : '',
};
