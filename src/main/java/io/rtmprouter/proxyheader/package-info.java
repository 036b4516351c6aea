/**
 * The PROXY protocol header a `send-proxy` server connection, or a health check with
 * `check-send-proxy`, starts with. Below both the routing stage and the health checks, which
 * write it; `accept-proxy` binds read theirs with Netty's decoder in proxy.accept.
 */
package io.rtmprouter.proxyheader;
