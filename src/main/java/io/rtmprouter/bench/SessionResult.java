package io.rtmprouter.bench;

/**
 * How one bench session went.
 *
 * @param failure         null when it succeeded, else a short reason shared by sessions that failed alike
 * @param connectResultNs TCP connect started to connect's _result; -1 if never
 * @param firstMediaNs    TCP connect started to the first audio or video message; -1 if never
 * @param bytesIn         bytes received from the server
 */
record SessionResult(String failure, long connectResultNs, long firstMediaNs, long bytesIn) {
    boolean ok() {
        return failure == null;
    }
}
