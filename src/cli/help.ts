/** Usage text, per command. */
import { CLIENT_VERSION } from '../protocol/mcp-vocabulary.js';

export const MAIN_HELP = `mcp-loadtest ${CLIENT_VERSION} — load testing for MCP servers (Streamable HTTP)

Usage:
  mcp-loadtest run <URL> [options]     run a load test (config: .pmcp/loadtest.toml)
  mcp-loadtest run [options] -- CMD    the same against a stdio server started as CMD [ARGS...]
  mcp-loadtest compare BASE HEAD       compare two JSON reports; exit 1 on a regression
  mcp-loadtest merge R... --report F   merge the reports of run --shard I/N
  mcp-loadtest init [URL] [--force]    write a config: a template, or discovered from a server
  mcp-loadtest validate [--config F]   check a config without sending anything
  mcp-loadtest report-html R --out F   write the HTML report of a JSON report
  mcp-loadtest demo                    load-test the built-in calculator server for ~10 s
  mcp-loadtest serve-demo [--port N]   run only the built-in calculator server

Run "mcp-loadtest <command> --help" for the options of a command.
Exit codes: 0 finished, 1 thresholds failed or regression, 2 config or usage error, 3 could not start, 130 interrupted.`;

export const COMMAND_HELP: Record<string, string> = {
  run: `Usage: mcp-loadtest run <URL> [options]
       mcp-loadtest run [options] -- COMMAND [ARGS...]   (a stdio server, started by the run;
                           settings.processes processes shared by the VUs, stopped at the end)

  -c, --config PATH        config file (default: nearest .pmcp/loadtest.toml up from here)
      --vus N              virtual users (overrides settings.virtual_users); with --rate,
                           the sessions initialized before the schedule starts
      --duration SECS      run time in seconds (overrides settings.duration_secs)
      --rate N             open model: start N scenario steps per second on a fixed schedule,
                           whatever the server does; latency counts from each step's
                           scheduled start (sets settings.arrival_rate)
      --max-vus N          open model: most sessions (overrides settings.max_vus; default
                           2 x the peak rate, at least 10 x virtual_users)
      --iterations N       stop after N scenario steps in total
      --seed N             seed of the weighted step choice (reproducible mix)
      --shard I/N          run the I-th of N equal parts of the load (VUs, rate, iterations
                           split exactly; --seed defaults to 0 so all shards share it);
                           merge the N reports with "mcp-loadtest merge"
      --start-at TIME      wait until TIME (ISO-8601 with a zone, or epoch ms; at most 1 h
                           ahead) before starting, so all shards begin together
      --workers N|auto     run the load on N worker threads (auto: the cores minus one),
                           split like shards, one merged report; default 1
  -H, --header 'N: v'      extra request header, repeatable (values are never printed)
      --protocol V         auto (detect the era) or an MCP revision: 2026-07-28, 2025-11-25, …
      --transport T        streamable-http (default) or sse (the 2024-11-05 HTTP+SSE
                           transport; detected under --protocol auto when none is set)
      --report PATH        where to write the JSON report (- for stdout)
      --no-report          write no report
      --baseline PATH      compare with this earlier JSON report; a regression exits 1
      --baseline-url URL   paired A/B: also load this baseline server in alternating rounds
                           (ABBA, same config and seed per pair) and compare; the run takes
                           twice --duration; a regression exits 1
      --rounds N           with --baseline-url: rounds per target (default 4, each at least 4 s)
      --max-regression R   with --baseline or --baseline-url: p99 may grow by R (0.15 = 15%),
                           throughput fall to 1/(1+R) (overrides [thresholds] max_p99_regression)
      --junit PATH         also write the gate as JUnit XML (one test case per limit)
      --html PATH          also write a self-contained HTML report (charts, sortable tables)
      --no-color           no colours (also NO_COLOR=1)
  -q, --quiet              no live progress

Thresholds (override [thresholds]; any failed one exits 1 after the report and summary):
      --p50-threshold-ms MS      max p50 success latency (closed model: coordinated-omission
                                 corrected; open model: from the scheduled start)
      --p95-threshold-ms MS      max p95 success latency
      --p99-threshold-ms MS      max p99 success latency
      --error-rate-threshold R   max error rate, 0..1 (0.05 = 5%)
      --min-throughput-rps N     min requests per second
      --fail-on-breaking-point   a detected breaking point fails the run`,
  compare: `Usage: mcp-loadtest compare BASE.json HEAD.json [options]

Compares two JSON reports: base, head and change for throughput, error rate and p50/p95/p99,
overall and per tool. A change is a regression only when it is beyond its limit AND significant
(one-sided Mann–Whitney U on the runs' 2 s timeline samples, alpha 0.05).

  -c, --config PATH        take the limits from this config's [thresholds]
                           (default: the nearest .pmcp/loadtest.toml, if any)
      --max-regression R   p99 may grow by R (0.15 = 15%), throughput fall to 1/(1+R)
      --markdown           print the comparison as GitHub markdown
      --no-color           no colours (also NO_COLOR=1)
  -q, --quiet              print only the verdict line

Limits ([thresholds], overall and per tool; defaults in brackets):
  max_p99_regression [0.15], max_error_rate_increase [0.01 = 1 point], min_throughput_ratio [0.9]
Exit codes: 0 no regression, 1 regression, 2 a report cannot be used.`,
  init: `Usage: mcp-loadtest init [URL] [options]
       mcp-loadtest init [options] -- COMMAND [ARGS...]   (discovery over stdio)

Without URL: writes a commented template. With URL: discovers tools, resources and prompts
and writes a scenario for each, with example arguments from each tool's input schema.

  -c, --config PATH        where to write (default .pmcp/loadtest.toml)
  -f, --force              overwrite an existing file
  -H, --header 'N: v'      extra request header for discovery, repeatable
      --timeout-ms N       per-request timeout for discovery (default 10000)`,
  merge: `Usage: mcp-loadtest merge REPORT... --report OUT [options]

Merges the N reports of one load run as N shards (run --shard I/N): counts add, histograms
add and percentiles are read from the sums, timelines align on wall-clock time, the breaking
point and the thresholds are evaluated again on the merged figures. Reports of different
configs or versions, or an incomplete set of shards, are refused (exit 2).

      --report PATH        where to write the merged JSON report (required)
      --html PATH          also write the merged HTML report there
  -c, --config PATH        take the thresholds from this config (default: the ones the
                           shards were run with)
      --no-color           no colours (also NO_COLOR=1)
  -q, --quiet              no summary

Exit codes: 0 merged, 1 a threshold failed on the merged figures, 2 refused or bad input.`,
  validate: `Usage: mcp-loadtest validate [--config PATH]

Parses and validates the config; exit code 0 when valid, 2 with one line saying what is wrong.`,
  'report-html': `Usage: mcp-loadtest report-html REPORT.json --out PATH

Writes a self-contained HTML report (charts, sortable per-tool table, thresholds) of a JSON
report written by mcp-loadtest run. The page needs no network.

  -o, --out PATH           where to write the HTML file`,
  demo: `Usage: mcp-loadtest demo [options]

Starts the built-in calculator MCP server on 127.0.0.1 and runs a ~10 s load test against it.

      --json               the server answers application/json instead of SSE
      --vus N, --duration SECS, --seed N, --report PATH, --no-report, --no-color, --quiet`,
  'serve-demo': `Usage: mcp-loadtest serve-demo [options]

Runs the built-in calculator MCP server on http://127.0.0.1:<port>/mcp until Ctrl+C.
Tools add, subtract, multiply (a, b) and divide (dividend, divisor); resource
calculator://constants; prompt explain-calculation (expression).

  -p, --port N             port (default 3000; 0 picks a free one)
      --json               answer application/json instead of SSE
      --stateless          no sessions
      --delay-ms N         delay every tools/call, resources/read and prompts/get
      --error-rate R       fraction (0..1) of tools/call answered with a JSON-RPC error
      --capacity N         with --delay-ms: at most N requests in service at once, the rest
                           queue (a server of finite capacity, to find its breaking point)`,
};
