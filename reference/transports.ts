/** Which transports the reference server listens on, kept apart so naming them loads none of them. */
import type { TransportKind } from '../transport/connection.js';

export type NetworkTransport = Exclude<TransportKind, 'stdio'>;
/** The order of `--transport all`, and of the ports `--port N` hands out (N, N+1, …). */
export const NETWORK_TRANSPORTS: readonly NetworkTransport[] = ['http', 'sse', 'ws', 'tcp'];

/** The transports authorization applies to: tcp cannot carry a token. */
export const AUTH_TRANSPORTS: readonly NetworkTransport[] = ['http', 'sse', 'ws'];
