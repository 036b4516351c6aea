package io.rtmprouter.config;

/** The TLS versions a bind may speak; SSLv3, TLS 1.0 and 1.1 are refused when the configuration is read. */
public enum TlsVersion {
    TLS_1_2("TLSv1.2"),
    TLS_1_3("TLSv1.3");

    private final String keyword;

    TlsVersion(String keyword) {
        this.keyword = keyword;
    }

    /** HAProxy's word for it, which is also the JDK's protocol name. */
    public String keyword() {
        return keyword;
    }
}
