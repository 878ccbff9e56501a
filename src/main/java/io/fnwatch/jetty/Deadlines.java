package io.fnwatch.jetty;

/**
 * How long a client may take, on any fnwatch HTTP server, before its connection is closed.
 *
 * @param idleTimeoutMs a connection with no bytes either way for this long is closed (a pending read fails)
 * @param headerTimeoutMs request headers must be complete within one to two of these after they start to
 *        arrive; also the grace before the body rate is checked
 * @param minBodyBytesPerSecond after the grace, a request body must have arrived at least this fast on average
 *        since its headers, or the request fails with 408 and the connection is closed; 0 turns it off
 */
public record Deadlines(long idleTimeoutMs, long headerTimeoutMs, long minBodyBytesPerSecond) {}
