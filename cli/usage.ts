/** Usage errors end with exit code 2 (DESIGN.md "Exit codes"); they carry their own message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** 130 is the shell's own code for a run ended by SIGINT (128 + 2). */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;

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
  mcpcert test [TARGET] [--protocol-version V|all] [--only GLOB] [--level must|should|all]
               [--timeout MS] [--baseline FILE] [--header 'Name: value'] [--foreign-token T]
               [--report json=FILE]
      The conformance suite: tells where a server departs from the spec, naming the
      requirement and showing the evidence (transcript, expectation, a command to replay it).
      TARGET is stdio:COMMAND ARGS… (or --stdio -- COMMAND ARGS…), http(s)://HOST:PORT/PATH
      (Streamable HTTP), sse+http(s)://HOST:PORT/PATH (HTTP+SSE), ws(s)://HOST:PORT/PATH or
      tcp://HOST:PORT. Without TARGET: the embedded reference server on all five transports.
      --protocol-version  one version, or all the target accepts (default: 2025-11-25, or
                       what the target offers instead, else 2026-07-28; without TARGET: all).
      --only GLOB      check ids or requirement ids (lifecycle/*, *origin*, LIFE-009); repeatable.
      --level          must: MUST checks only; should: MUST and SHOULD; all (default).
      --timeout MS     per check (default 10000); requests and handshakes too.
      --baseline FILE  known failures (a JSON report or [{check, transport?, protocolVersion?}])
                       do not fail the run; entries that now pass are reported as stale.
      --header 'N: v'  sent with every request to an http, sse or ws target; repeatable.
      --foreign-token T  a token the target's authorization server issued for another
                       resource: the target must refuse it (audience validation).
      --report json=FILE  the complete record (schema: reports/report.schema.json).
      With CI=true only failures and the summary are printed. Ctrl-C (SIGINT) or SIGTERM
      stops the run, prints and writes the results so far, and exits 130.
  mcpcert requirements [--protocol-version V] [--format table|json]
      The normative requirement catalog of the MCP spec (2025-11-25 and 2026-07-28),
      with the checks that cover each requirement.
  mcpcert --help | --version

Being built (see README "Status"): chaos, load, merge; JUnit and HTML reports.

Protocol versions: 2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28.
Exit codes: 0 ok, 1 failures (or checks that could not be judged), 2 usage error,
3 target could not be started or reached, 130 interrupted.
`;
