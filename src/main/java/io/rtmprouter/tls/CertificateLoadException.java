package io.rtmprouter.tls;

import io.rtmprouter.config.SourceLocation;

import java.nio.file.Path;

/**
 * A certificate named by a bind cannot be used. The message is complete and ready to print:
 * the bind's file:line, the file at fault, and why ("test.cfg:3: cannot load certificate
 * 'certs/a.pem': no private key in it, nor in 'certs/a.pem.key'").
 */
public final class CertificateLoadException extends Exception {
    private final SourceLocation where;
    private final Path file;

    CertificateLoadException(SourceLocation where, Path file, String reason) {
        super(where + ": cannot load certificate '" + file + "': " + reason);
        this.where = where;
        this.file = file;
    }

    /** The bind line that named the certificate. */
    public SourceLocation where() {
        return where;
    }

    /** The file (or directory) at fault: a PEM, its `.key` companion, or a `crt` directory. */
    public Path file() {
        return file;
    }
}
