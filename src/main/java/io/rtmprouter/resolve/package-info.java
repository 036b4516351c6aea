/**
 * `resolvers` sections at run time: each server that names one keeps following its DNS name, as
 * HAProxy's resolvers do. {@link io.rtmprouter.resolve.DnsResolvers} asks the name servers on one
 * event loop; a {@link io.rtmprouter.resolve.Resolution} is one name's state; a
 * {@link io.rtmprouter.resolve.ResolvedServer} applies an answer to its server (address,
 * maintenance) in HAProxy's words.
 */
package io.rtmprouter.resolve;
