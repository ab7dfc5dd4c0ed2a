/**
 * How a run reached its server, in one phrase the summary, the markdown and the HTML share:
 * "protocol 2026-07-28 (stateless) over streamable-http", "protocol 2025-11-25 (sessions) over
 * sse". The era's word (2026-07-28 "Versioning"): the modern revision has no handshake and no
 * session; a 2025-era server may or may not hand out session ids after `initialize`.
 */
import type { Report } from '../report/types.js';

/** The phrase, `version` already made safe for the output by the caller; '' with nothing known. */
export function protocolPhrase(report: Report, version: string | null): string {
  const p = report.protocol;
  const transport = report.config.transport;
  // Detected: protocol "auto" found the 2024-11-05 HTTP+SSE stream where none was configured.
  const detected = p.transport_detected === true ? ' (detected)' : '';
  const over = transport === undefined ? '' : ` over ${transport}${detected}`;
  if (version === null) return transport === undefined ? '' : `transport ${transport}${detected}`;
  const mode =
    p.era === 'modern'
      ? ' (stateless)'
      : p.era === 'legacy'
        ? report.handshake.sessions_created > 0
          ? ' (sessions)'
          : ' (no session id)'
        : '';
  const pinned = p.selection !== undefined && p.selection !== 'auto' ? ' (pinned)' : '';
  return `protocol ${version}${mode}${pinned}${over}`;
}
