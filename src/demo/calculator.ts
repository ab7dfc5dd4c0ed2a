/**
 * The demo server's catalogue: four calculator tools, one resource and one prompt.
 *
 * Every handler returns a JSON-RPC member *fragment*, either `"result":{…}` or `"error":{…}`, which
 * the transport splices into `{"jsonrpc":"2.0","id":…,<fragment>}`. Static answers (the three
 * lists, the resource contents) are serialised once at module load, so a request costs a lookup
 * and a string concatenation, never a JSON.stringify of the whole message.
 *
 * Failures follow what SDK servers do (the SDK's StreamableHTTPServerTransport and McpServer): a
 * tool's own failure (unknown tool, bad arguments, division by zero) is an in-band result with
 * `isError: true`; a bad resource URI or bad prompt arguments is a JSON-RPC error -32602.
 */
import { METHOD } from '../protocol/mcp-vocabulary.js';

/** JSON-RPC 2.0 error codes used by the demo server. */
export const JSONRPC_CODE = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/** `"error":{…}` fragment; `message` is dynamic, so it is escaped. */
export function errorFragment(code: number, message: string): string {
  return `"error":{"code":${code},"message":${JSON.stringify(message)}}`;
}

function toolErrorFragment(text: string): string {
  return `"result":{"content":[{"type":"text","text":${JSON.stringify(text)}}],"isError":true}`;
}

interface CalculatorTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The two required number arguments, in operand order. */
  readonly operands: readonly [string, string];
  readonly operandDescriptions: readonly [string, string];
  readonly compute: (x: number, y: number) => number;
}

const TOOL_DEFINITIONS: readonly CalculatorTool[] = [
  {
    name: 'add',
    title: 'Add',
    description: 'Add two numbers and return the sum a + b.',
    operands: ['a', 'b'],
    operandDescriptions: ['First addend', 'Second addend'],
    compute: (x, y) => x + y,
  },
  {
    name: 'subtract',
    title: 'Subtract',
    description: 'Subtract b from a and return the difference a - b.',
    operands: ['a', 'b'],
    operandDescriptions: ['Minuend', 'Subtrahend'],
    compute: (x, y) => x - y,
  },
  {
    name: 'multiply',
    title: 'Multiply',
    description: 'Multiply two numbers and return the product a * b.',
    operands: ['a', 'b'],
    operandDescriptions: ['First factor', 'Second factor'],
    compute: (x, y) => x * y,
  },
  {
    name: 'divide',
    title: 'Divide',
    description: 'Divide dividend by divisor and return the quotient. Fails when divisor is 0.',
    operands: ['dividend', 'divisor'],
    operandDescriptions: ['The number to divide', 'The number to divide by (not 0)'],
    compute: (x, y) => x / y,
  },
];

// A Map, not an object: tool names come from the client and must not reach Object.prototype.
const TOOLS = new Map(TOOL_DEFINITIONS.map((tool) => [tool.name, tool]));

const TOOLS_LIST_FRAGMENT = `"result":${JSON.stringify({
  tools: TOOL_DEFINITIONS.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: {
      type: 'object',
      properties: {
        [tool.operands[0]]: { type: 'number', description: tool.operandDescriptions[0] },
        [tool.operands[1]]: { type: 'number', description: tool.operandDescriptions[1] },
      },
      required: [...tool.operands],
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })),
})}`;

/** `tools/call`: `params` is the request's params object, if any. */
export function callTool(params: unknown): string {
  const name = (params as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string') return toolErrorFragment('Invalid params: "name" must be a string');
  const tool = TOOLS.get(name);
  if (tool === undefined) return toolErrorFragment(`Tool ${name} not found`);
  const args = (params as { arguments?: unknown }).arguments;
  const [first, second] = tool.operands;
  const x = isObject(args) ? args[first] : undefined;
  const y = isObject(args) ? args[second] : undefined;
  if (typeof x !== 'number' || typeof y !== 'number') {
    return toolErrorFragment(
      `Invalid arguments for tool ${name}: "${first}" and "${second}" are required numbers`,
    );
  }
  if (tool.name === 'divide' && y === 0) return toolErrorFragment('Division by zero');
  // String(number) never needs JSON escaping ("59", "-0.5", "1e+21", "Infinity").
  return `"result":{"content":[{"type":"text","text":"${String(tool.compute(x, y))}"}]}`;
}

export const RESOURCE_URI = 'calculator://constants';
const CONSTANTS_TEXT = JSON.stringify({ pi: Math.PI, e: Math.E, sqrt2: Math.SQRT2, ln2: Math.LN2 });

const RESOURCES_LIST_FRAGMENT = `"result":${JSON.stringify({
  resources: [
    {
      uri: RESOURCE_URI,
      name: 'constants',
      title: 'Mathematical constants',
      description: 'pi, e, sqrt(2) and ln(2) as a JSON object',
      mimeType: 'application/json',
    },
  ],
})}`;

const RESOURCE_READ_FRAGMENT = `"result":${JSON.stringify({
  contents: [{ uri: RESOURCE_URI, mimeType: 'application/json', text: CONSTANTS_TEXT }],
})}`;

/** `resources/read` */
export function readResource(params: unknown): string {
  const uri = (params as { uri?: unknown } | undefined)?.uri;
  if (uri === RESOURCE_URI) return RESOURCE_READ_FRAGMENT;
  if (typeof uri !== 'string') {
    return errorFragment(JSONRPC_CODE.invalidParams, 'Invalid params: "uri" must be a string');
  }
  return errorFragment(JSONRPC_CODE.invalidParams, `Resource ${uri} not found`);
}

export const PROMPT_NAME = 'explain-calculation';

const PROMPTS_LIST_FRAGMENT = `"result":${JSON.stringify({
  prompts: [
    {
      name: PROMPT_NAME,
      title: 'Explain a calculation',
      description:
        'Ask the model to explain, step by step, how to compute an arithmetic expression.',
      arguments: [
        {
          name: 'expression',
          description: 'The arithmetic expression to explain, e.g. "42 + 17"',
          required: true,
        },
      ],
    },
  ],
})}`;

/** `prompts/get` */
export function getPrompt(params: unknown): string {
  const name = (params as { name?: unknown } | undefined)?.name;
  if (name !== PROMPT_NAME) {
    const shown = typeof name === 'string' ? name : String(name);
    return errorFragment(JSONRPC_CODE.invalidParams, `Prompt ${shown} not found`);
  }
  const args = (params as { arguments?: unknown }).arguments;
  const expression = isObject(args) ? args.expression : undefined;
  if (typeof expression !== 'string') {
    return errorFragment(
      JSONRPC_CODE.invalidParams,
      `Invalid arguments for prompt ${PROMPT_NAME}: "expression" is a required string`,
    );
  }
  const text = JSON.stringify(`Explain step by step how to compute ${expression}.`);
  return `"result":{"description":"Explain a calculation","messages":[{"role":"user","content":{"type":"text","text":${text}}}]}`;
}

/** The list methods take no arguments the demo honours (cursor: everything fits in one page). */
export const STATIC_FRAGMENTS: ReadonlyMap<string, string> = new Map([
  [METHOD.ping, '"result":{}'],
  [METHOD.toolsList, TOOLS_LIST_FRAGMENT],
  [METHOD.resourcesList, RESOURCES_LIST_FRAGMENT],
  [METHOD.resourceTemplatesList, '"result":{"resourceTemplates":[]}'],
  [METHOD.promptsList, PROMPTS_LIST_FRAGMENT],
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
