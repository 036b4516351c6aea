package io.rtmprouter.proxy;

/** Fired from the pipeline's head when the inspecting stages know enough to route the session. */
enum InspectionEvent {
    DONE
}
