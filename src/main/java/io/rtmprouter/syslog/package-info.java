/**
 * Log lines where HAProxy sends them (`log` targets): {@link io.rtmprouter.syslog.SyslogFrames}
 * writes a line in a target's format (rfc3164, rfc5424, raw, short) at its facility and level;
 * {@link io.rtmprouter.syslog.SyslogSender} sends it over UDP, a UNIX datagram socket or stdout
 * and stderr, never blocking the caller: what cannot be sent at once is dropped and counted.
 */
package io.rtmprouter.syslog;
