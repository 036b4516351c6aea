/**
 * Step 3, routing: the rules pick a backend, the balancer a server (queued at its `maxconn`), the
 * connection is made and retried or redispatched, the router handshakes the server, and the
 * client's bytes are replayed to it.
 */
package io.rtmprouter.proxy.route;
