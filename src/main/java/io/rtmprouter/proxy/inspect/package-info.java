/**
 * Step 2, inspecting (mode rtmp): the `tcp-request inspect-delay` deadline, what the first bytes
 * speak, the RTMP handshake answered as a server, and the connect command read for routing.
 */
package io.rtmprouter.proxy.inspect;
