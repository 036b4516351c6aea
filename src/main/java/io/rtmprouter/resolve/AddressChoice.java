package io.rtmprouter.resolve;

import io.rtmprouter.config.DnsResolution;
import io.rtmprouter.config.Network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which answer a server takes, scored as HAProxy's resolv_get_ip_from_response does: 8 for the
 * preferred family, 4 for a preferred network (`resolve-net`), 2 for an address no other server
 * of its backend holds (without `allow-dup-ip`, an address another holds is not taken at all), 1
 * for the address it has now. The best score wins, the first on a tie.
 */
final class AddressChoice {
    /**
     * @param chosen  the answer picked; null when no answer may be taken
     * @param current whether it is the address the server has now
     */
    record Choice(Resolution.Answer chosen, boolean current) {
    }

    private AddressChoice() {
    }

    static Choice choose(List<Resolution.Answer> answers, ResolvedServer owner, InetAddress current) {
        DnsResolution opts = owner.options();
        Resolution.Answer best4 = null;
        Resolution.Answer best6 = null;
        Resolution.Answer found = null;
        boolean currentFound = false;
        int max = -1;
        for (Resolution.Answer a : answers) {
            boolean v4 = a.address instanceof Inet4Address;
            int score = 0;
            if (v4 != opts.preferIpv6()) {
                score += 8;
            }
            for (Network n : opts.preferredNets()) {
                if (n.isIpv6() != v4 && n.contains(a.address)) { // HAProxy compares within one family
                    score += 4;
                    break;
                }
            }
            boolean usedByAnother = a.attached.stream().anyMatch(s -> s != owner && s.backend().equals(owner.backend()));
            if (usedByAnother) {
                if (!opts.allowDuplicateIp()) {
                    continue;
                }
            } else {
                score += 2;
            }
            boolean isCurrent = a.address.equals(current);
            if (isCurrent) {
                score++;
            }
            if (score > max) {
                if (v4) {
                    best4 = a;
                } else {
                    best6 = a;
                }
                found = a;
                currentFound = isCurrent;
                max = score;
            }
        }
        if (best4 == null && best6 == null) {
            return new Choice(null, false);
        }
        // HAProxy returns the best of the preferred family when there is one; the score already favours it.
        Resolution.Answer chosen = opts.preferIpv6() ? (best6 != null ? best6 : best4) : (best4 != null ? best4 : best6);
        if (chosen != found) {
            currentFound = chosen.address.equals(current);
        }
        return new Choice(chosen, currentFound);
    }
}
