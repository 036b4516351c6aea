package io.rtmprouter.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain (leaf first) and the private key of its leaf, as read from one PEM file.
 * hostNames are the names SNI selects it by: the leaf's SAN dNSName entries, else its subject
 * CN; they may be wildcards (`*.example.com`).
 */
public record ServerCertificate(Path file, List<X509Certificate> chain, PrivateKey key, List<String> hostNames) {
    public ServerCertificate {
        chain = List.copyOf(chain);
        hostNames = List.copyOf(hostNames);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return file + " " + hostNames;
    }
}
