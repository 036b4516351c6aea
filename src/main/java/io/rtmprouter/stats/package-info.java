/**
 * The counters of HAProxy's `show stat`, kept where the events happen and read from any thread:
 * {@link io.rtmprouter.stats.TrafficCounters} for a frontend, a backend or a server (sessions,
 * bytes, errors, rates, times), {@link io.rtmprouter.stats.CheckCounters} for a server's health
 * (state changes, downtime, the last check). No Netty here; nothing per byte.
 */
package io.rtmprouter.stats;
