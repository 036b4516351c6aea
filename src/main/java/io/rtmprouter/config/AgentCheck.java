package io.rtmprouter.config;

import java.time.Duration;

/**
 * A server's `agent-check`: every `inter`, connect to its agent, send `send` (if any), and read
 * one line of words that set the server's health, admin state, weight or maxconn, as HAProxy's
 * agent protocol defines them.
 *
 * @param port    `agent-port`
 * @param inter   `agent-inter`, else the server's `inter`
 * @param address `agent-addr`; null: the address the health checks go to (`addr`, else the server's)
 * @param send    `agent-send`: what to write first; null for nothing
 */
public record AgentCheck(int port, Duration inter, String address, String send) {
}
