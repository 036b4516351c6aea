/**
 * RTMPT, the HTTP tunnel: a connection that carries POSTs, the sessions they name (each a channel
 * without a socket, so that the RTMP stages run unchanged inside it), and the HTTP path's limits.
 */
package io.rtmprouter.proxy.tunnel;
