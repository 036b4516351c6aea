package io.rtmprouter.tls;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The host names a certificate serves, for SNI: its SAN dNSName entries, else its subject CN. */
final class CertificateHostNames {
    /** GeneralName tag of dNSName in the JDK's getSubjectAlternativeNames() lists. */
    private static final int DNS_NAME = 2;

    private CertificateHostNames() {
    }

    static List<String> of(X509Certificate certificate) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.get(0) instanceof Integer tag && tag == DNS_NAME && san.get(1) instanceof String name) {
                    names.add(name);
                }
            }
        }
        if (names.isEmpty()) {
            X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            for (RDN cn : subject.getRDNs(BCStyle.CN)) {
                names.add(IETFUtils.valueToString(cn.getFirst().getValue()));
            }
        }
        return names;
    }
}
