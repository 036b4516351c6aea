/**
 * What every step shares about one session: its state and log lines ({@link io.rtmprouter.proxy.session.Session}),
 * how it ended ({@link io.rtmprouter.proxy.session.Termination}), and the event that ends inspection.
 */
package io.rtmprouter.proxy.session;
