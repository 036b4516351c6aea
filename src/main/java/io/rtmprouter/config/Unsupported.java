package io.rtmprouter.config;

/** The one wording for an HAProxy keyword that rtmp-router refuses because it does not implement it. */
final class Unsupported {
    private Unsupported() {
    }

    /** @param what the keyword as the operator wrote it, quoted, with its place ("global 'ulimit-n'") */
    static ConfigException keyword(SourceLocation where, String what) {
        return new ConfigException(where, what + " is not supported by rtmp-router");
    }
}
