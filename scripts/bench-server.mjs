// A minimal, fast MCP Streamable HTTP endpoint for `npm run bench` (not a real MCP server).
//
//   node scripts/bench-server.mjs <port> [--sse]      (port 0 → a free one)
//
// Listens on 127.0.0.1 only and prints `listening <port>`. POST /mcp:
//   initialize        → 200 JSON result, `Mcp-Session-Id: bench-session`
//   notifications     → 202, empty body
//   tools/call        → 200 `{"result":{"content":[{"type":"text","text":"59"}]},...}` as
//                       application/json, or with --sse as one `text/event-stream` event;
//                       always with Content-Length so keep-alive connections are reused
//   anything else     → 200 empty result
// DELETE /mcp → 200. GET /count → the number of tools/call requests answered so far.
//
// Every body really goes through JSON.parse and the id is echoed, so a load tool that sends
// unique ids and one that repeats the same id cost the server the same. On SIGTERM/SIGINT the
// server prints `count <n>` (tools/call requests answered) and exits, so the bench can compare
// what each load tool says it completed with what the server actually received.
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const sse = args.includes('--sse');
const portArg = args.find((a) => !a.startsWith('--')) ?? '0';
const port = Number(portArg);
if (!/^\d+$/.test(portArg) || port > 65535) {
  process.stderr.write(`bench-server: port must be an integer from 0 to 65535, got "${portArg}"\n`);
  process.exit(2);
}

const SESSION_ID = 'bench-session';
const LATEST = '2025-11-25';
const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_TYPE = 'text/event-stream';
const RESULT_PREFIX = '{"result":{"content":[{"type":"text","text":"59"}]},"jsonrpc":"2.0","id":';

let toolCalls = 0;

function send(res, status, contentType, body) {
  const headers = { 'content-length': Buffer.byteLength(body) };
  if (contentType !== null) headers['content-type'] = contentType;
  res.writeHead(status, headers);
  res.end(body);
}

function jsonRpcError(res, status, id, code, message) {
  send(
    res,
    status,
    'application/json',
    JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error: { code, message } }),
  );
}

function onMessage(req, res, text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    return jsonRpcError(res, 400, null, -32700, 'Parse error');
  }
  if (msg === null || typeof msg !== 'object' || typeof msg.method !== 'string') {
    return jsonRpcError(res, 400, null, -32600, 'Invalid Request');
  }
  const id = msg.id;
  if (id === undefined) {
    // A notification: accepted, no body (MCP 2025-11-25 "Transports").
    res.writeHead(202, { 'content-length': 0 });
    return res.end();
  }
  if (msg.method === 'tools/call') {
    if (req.headers['mcp-session-id'] !== SESSION_ID) {
      return jsonRpcError(res, 404, id, -32001, 'Session not found');
    }
    toolCalls++;
    const json = RESULT_PREFIX + JSON.stringify(id) + '}';
    if (sse) return send(res, 200, SSE_TYPE, 'event: message\ndata: ' + json + '\n\n');
    return send(res, 200, 'application/json', json);
  }
  if (msg.method === 'initialize') {
    const requested = msg.params?.protocolVersion;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id,
      result: {
        protocolVersion: typeof requested === 'string' ? requested : LATEST,
        capabilities: { tools: {} },
        serverInfo: { name: 'bench', version: '1' },
      },
    });
    res.writeHead(200, {
      ...JSON_HEADERS,
      'content-length': Buffer.byteLength(body),
      'mcp-session-id': SESSION_ID,
    });
    return res.end(body);
  }
  return send(res, 200, 'application/json', JSON.stringify({ jsonrpc: '2.0', id, result: {} }));
}

const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  const path = req.url;
  if (req.method === 'POST' && path === '/mcp') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString();
      onMessage(req, res, text);
    });
    return;
  }
  if (req.method === 'DELETE' && path === '/mcp') return send(res, 200, null, '');
  if (req.method === 'GET' && path === '/count') {
    return send(res, 200, 'text/plain', String(toolCalls));
  }
  req.resume();
  send(res, 404, 'text/plain', 'not found');
});
// Many requests per connection: no per-connection request cap, generous idle timeouts.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.maxRequestsPerSocket = 0;

function stop() {
  process.stdout.write(`count ${toolCalls}\n`);
  server.closeAllConnections?.();
  server.close();
  // process.exit runs 'exit' listeners (the CPU hook), unlike a death by signal.
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
