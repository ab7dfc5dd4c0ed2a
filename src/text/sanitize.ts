/**
 * Terminal-safe text, used by the report (error samples) and by every renderer. A leaf module:
 * it imports nothing, so any layer may use it.
 */

// ESC-introduced sequences: CSI (ESC [ … final byte), string commands OSC/DCS/SOS/PM/APC (ESC ] P
// X ^ _ … up to BEL or ST, or to the end when unterminated), then any other escape (ESC, optional
// intermediate bytes, a final byte: "ESC ( B", "ESC c", "ESC 7"). The
// C1 forms (U+009B CSI, U+009D OSC, U+0090/98/9E/9F) are stripped the same way.
const ESCAPE_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -/]*[0-~]?/g;
const LINE_BREAKS = /[\n\r\t\v\f\u0085\u2028\u2029]/g;
// Remaining C0 and C1 controls, DEL, and the bidirectional overrides that could reorder what the
// terminal shows ("Trojan Source").
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes untrusted text (tool names, server info, error messages from the server) safe to print:
 * no escape sequence can recolour, move the cursor, retitle the window or hide text, and no line
 * break can forge a line of the summary. Line breaks and tabs become spaces; other controls go.
 */
export function sanitizeForTerminal(s: string): string {
  return s
    .replace(ESCAPE_SEQUENCE, '')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(LONE_SURROGATE, '\ufffd');
}
