/**
 * Below the flow: the socket transport (epoll or NIO) and its workarounds, byte counting and
 * memory accounting of buffers, TLS close handling, and what a socket error says.
 */
package io.rtmprouter.proxy.transport;
