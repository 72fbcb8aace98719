package org.panacea.dicom.dimse;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configured C-MOVE destinations, {@code AE=host:port}: the archive connects only to these, never to an address
 * a peer names. Immutable and thread-safe.
 */
final class Destinations {

    private final Map<String, InetSocketAddress> byAeTitle;

    private Destinations(Map<String, InetSocketAddress> byAeTitle) {
        this.byAeTitle = Map.copyOf(byAeTitle);
    }

    static Destinations parse(String configured) {
        Map<String, InetSocketAddress> byAeTitle = new LinkedHashMap<>();
        for (String raw : configured.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            try {
                if (equals <= 0 || colon < equals + 2) {
                    throw new NumberFormatException();
                }
                int port = Integer.parseInt(entry.substring(colon + 1).strip());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                byAeTitle.put(entry.substring(0, equals).strip(), InetSocketAddress.createUnresolved(
                        entry.substring(equals + 1, colon).strip(), port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("destination '" + entry + "' must read AE=host:port, e.g. "
                        + "WORKSTATION=10.0.0.7:11112");
            }
        }
        return new Destinations(byAeTitle);
    }

    /** Where {@code aeTitle} listens, or {@code null} when it is not a configured destination. */
    InetSocketAddress of(String aeTitle) {
        return byAeTitle.get(aeTitle);
    }
}
