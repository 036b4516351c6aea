/**
 * Step 1, accepting: listeners stop accepting at a frontend's or the process's `maxconn`, so
 * that clients wait in the kernel's backlog rather than being accepted and closed.
 */
package io.rtmprouter.proxy.accept;
