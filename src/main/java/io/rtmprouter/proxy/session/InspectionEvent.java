package io.rtmprouter.proxy.session;

/** Fired from the pipeline's head when the inspecting stages know enough to route the session. */
public enum InspectionEvent {
    DONE
}
