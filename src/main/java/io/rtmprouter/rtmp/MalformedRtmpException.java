package io.rtmprouter.rtmp;

/** Input that is not valid RTMP; the message says why, for the session log. */
public final class MalformedRtmpException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRtmpException(String reason) {
        super(reason);
    }
}
