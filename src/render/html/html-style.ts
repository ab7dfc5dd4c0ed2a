/** The HTML report's own stylesheet: system fonts, readable tables, verdict colours. */
export const PAGE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
  max-width: 1100px; padding: 16px 24px 48px; color: #1b1f24; background: #fff; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 17px; margin: 28px 0 8px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.muted { color: #57606a; }
.verdict { font-size: 16px; padding: 10px 14px; border-radius: 6px; border: 1px solid; }
.verdict.passed { background: #e6f4ea; border-color: #2e7d32; }
.verdict.failed { background: #fdecea; border-color: #c62828; }
.verdict.incomplete, .verdict.not-gated { background: #fff8e1; border-color: #b28704; }
.ok { color: #2e7d32; font-weight: 600; } .bad { color: #c62828; font-weight: 600; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; white-space: nowrap; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
.chart { margin: 12px 0 20px; }
`;
