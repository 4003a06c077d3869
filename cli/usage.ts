/** Usage errors end with exit code 2 (DESIGN.md "Exit codes"); they carry their own message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export const HELP = `mcpcert — tells whether an MCP server follows the spec, and how it behaves under faults and load.

Usage:
  mcpcert serve [--transport stdio|http|sse|ws|tcp|all] [--host 127.0.0.1] [--port N]
                [--auth-token T | --auth issuer=URL[,audience=URL][,scopes='a b']]
      The reference MCP server (protocol versions 2024-11-05 … 2026-07-28). Prints
      "READY <transport> <target>" per listener, then serves until SIGINT/SIGTERM.
      With --port N, all transports take N, N+1, … in the order http, sse, ws, tcp.
      --transport stdio speaks MCP on stdin/stdout and logs to stderr only.
      --auth-token T   every HTTP, SSE and WebSocket request needs "Authorization: Bearer T".
      --auth issuer=URL  an OAuth 2.1 resource server: JWT access tokens (RS256, ES256) of
                       that authorization server, found through its RFC 8414 metadata, must
                       name this endpoint's URI as audience (or audience=URL, for a proxy in
                       front) and grant the scopes; Protected Resource Metadata is served at
                       /.well-known/oauth-protected-resource[/<path>] on each listener.
      Authorization applies to http, sse and ws only: with it, "all" leaves tcp out, and
      stdio takes its credentials from the environment, as the MCP spec says.
  mcpcert requirements [--protocol-version V] [--format table|json]
      The normative requirement catalog of the MCP spec (2025-11-25 and 2026-07-28),
      with the checks that cover each requirement.
  mcpcert --help | --version

Being built (see README "Status"): test, chaos, load, merge.

Protocol versions: 2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28.
Exit codes: 0 ok, 1 failures, 2 usage error, 3 target unreachable.
`;
