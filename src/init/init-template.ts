/**
 * The text `mcp-loadtest init` writes. Without a URL it is `configTemplate()`; with a URL,
 * `generate-config.ts` writes discovered steps after the same `settingsSection()`.
 * The format and comment style are those of `cargo pmcp loadtest` (the generated file and
 * its "Config File Cheat Sheet"), so existing configs and habits carry over.
 */

/** The `[settings]` block with the Rust tool's comments, the optional fields commented out. */
export function settingsSection(): string {
  return `[settings]
# Number of concurrent virtual users
virtual_users = 10

# Test duration in seconds
duration_secs = 60

# Per-request timeout in milliseconds
timeout_ms = 5000

# --- Optional settings ---
# Coordinated omission correction: how often one virtual user expects to send a request
# expected_interval_ms = 100
# Pause each virtual user takes after a response (0 = back to back)
# request_interval_ms = 0
# Responses larger than this many bytes are cut off and counted as errors (10 MiB)
# max_response_bytes = 10485760
# End the run when the breaking point is detected (saves CI minutes with [[stage]] ramps)
# stop_on_breaking_point = false

# Open model: start this many scenario steps per second on a fixed schedule, whatever the
# server does, and measure each step's latency from when it was due.
# Use it for latency gates: it sees the stalls the closed model (virtual_users looping)
# hides. Keep the closed model to find how many concurrent clients fit. Same as \`run --rate N\`.
# arrival_rate = 100
# Open model: most sessions at once (default 2 x the rate, at least 10 x virtual_users);
# a step that finds every session busy with the pool full is dropped and counted.
# max_vus = 200

# Extra HTTP headers sent with every request. \${NAME} is replaced by the environment
# variable NAME when the test starts, so secrets stay out of this file; header values
# are never printed in the output or the report.
# [settings.headers]
# Authorization = "Bearer \${MCP_TOKEN}"
`;
}

/**
 * The commented `[thresholds]` block: the CI gate. A failed threshold makes `run` exit 1 after the
 * report and summary are written (the GitHub Action fails its step).
 */
export function thresholdsSection(): string {
  return `# --- Optional thresholds (the CI gate: a failed one exits 1) ---
# Latencies are success latencies in milliseconds: coordinated-omission corrected in the
# closed model, from each step's scheduled start with arrival_rate.
# [thresholds]
# p99_ms = 500
# error_rate = 0.01            # 0..1
# min_throughput_rps = 50
# fail_on_breaking_point = false
#
# Per tool, resource URI or prompt name:
# [thresholds.tools."search"]
# p99_ms = 800
`;
}

/** The commented template written by `init` without a URL. Parses as TOML as written. */
export function configTemplate(): string {
  return `# mcp-loadtest configuration (the format of \`cargo pmcp loadtest\`).
# The server URL is not in this file: pass it on the command line, so the same config
# works against localhost, staging and production.
#
#   mcp-loadtest run http://localhost:3000/mcp --config .pmcp/loadtest.toml
#
# Tip: \`mcp-loadtest init <URL>\` discovers a server's tools, resources and prompts and
# writes the scenario for you.

# --- Required settings ---
${settingsSection()}
# --- Scenario ---
# Each [[scenario]] block is one MCP operation. Weights are relative, not percentages:
# with weights 60, 30 and 10, about 60% of requests use the first step.
# At least one step is required.

# Call a tool (tools/call). Give every argument the tool requires.
[[scenario]]
type = "tools/call"
weight = 60
tool = "echo"
arguments = { message = "hello" }

# Read a resource (resources/read)
# [[scenario]]
# type = "resources/read"
# weight = 30
# uri = "file:///data/config.json"

# Get a prompt (prompts/get). Prompt argument values are strings.
# [[scenario]]
# type = "prompts/get"
# weight = 10
# prompt = "summarize"
# arguments = { text = "Hello world" }

# --- Optional staged load ---
# With [[stage]] blocks, virtual_users and duration_secs are ignored: the number of
# virtual users ramps linearly from the previous stage's target to target_vus over
# duration_secs, stage after stage. This one ramps up, holds, then ramps down.
# [[stage]]
# target_vus = 20
# duration_secs = 30
#
# [[stage]]
# target_vus = 20
# duration_secs = 60
#
# [[stage]]
# target_vus = 0
# duration_secs = 30
#
# With arrival_rate set, stages move the rate instead (from arrival_rate) with target_rate:
# [[stage]]
# target_rate = 200
# duration_secs = 60

${thresholdsSection()}`;
}
