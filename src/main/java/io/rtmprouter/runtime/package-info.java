/**
 * HAProxy's runtime API on `stats socket`: {@link io.rtmprouter.runtime.RuntimeApiServer} accepts
 * on a UNIX or TCP socket and reads command lines as socat users type them (one per connection, or
 * many in `prompt` mode); {@link io.rtmprouter.runtime.RuntimeCommands} answers them from the
 * running {@link io.rtmprouter.proxy.Router}: `show stat` ({@link io.rtmprouter.runtime.ShowStat},
 * HAProxy 2.6's CSV), `show info`, `show servers state`, `show backend`, `show sess`, `help`.
 */
package io.rtmprouter.runtime;
