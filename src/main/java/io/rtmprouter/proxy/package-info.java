/**
 * The router: start-up and shutdown ({@link io.rtmprouter.proxy.Router}), and the pipeline shapes of
 * a client connection ({@link io.rtmprouter.proxy.SessionPipeline}). A session flows down through
 * the rooms below it: accept, tunnel, inspect, route, relay, sharing session and transport.
 */
package io.rtmprouter.proxy;
