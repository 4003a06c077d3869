/** Usage errors end with exit code 2 (DESIGN.md "Exit codes"); they carry their own message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export const HELP = `mcpcert — tells whether an MCP server follows the spec, and how it behaves under faults and load.

Usage:
  mcpcert serve [--transport stdio|http|sse|ws|tcp|all] [--host 127.0.0.1] [--port N]
      The reference MCP server (protocol versions 2024-11-05 … 2025-11-25). Prints
      "READY <transport> <target>" per listener, then serves until SIGINT/SIGTERM.
      With --port N, all transports take N, N+1, … in the order http, sse, ws, tcp.
      --transport stdio speaks MCP on stdin/stdout and logs to stderr only.
  mcpcert requirements [--protocol-version V] [--format table|json]
      The normative requirement catalog of the MCP spec (2025-11-25 and 2026-07-28),
      with the checks that cover each requirement.
  mcpcert --help | --version

Being built (see README "Status"): test, chaos, load, merge.

Protocol versions: 2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28.
Exit codes: 0 ok, 1 failures, 2 usage error, 3 target unreachable.
`;
