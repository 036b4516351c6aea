/**
 * Step 4, relaying: bytes both ways through the pipeline, or spliced in the kernel, with
 * backpressure, half-close and idle timeouts, until both sides have closed.
 */
package io.rtmprouter.proxy.relay;
