package org.panacea.dicom.dimse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The configured peers: which calling AE titles may associate from which hosts, and with which permissions. A peer
 * matches on both; the first matching entry wins. Host names are resolved once, when the configuration is read, so
 * a peer cannot change its standing by what it says on the wire. Immutable and thread-safe.
 */
final class PeerTable {

    private record Entry(String aeTitle, String host, Set<InetAddress> addresses, Set<DimsePermission> permissions) {
    }

    private final List<Entry> entries;

    private PeerTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses {@code AE@host=perm+perm, ...}.
     *
     * @throws IllegalArgumentException naming the entry that is malformed or whose host does not resolve
     */
    static PeerTable parse(String configured) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : configured.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int at = entry.indexOf('@');
            int equals = entry.indexOf('=', at + 1);
            if (at <= 0 || equals < at + 2 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("peer '" + entry + "' must read CALLING_AE@host=permissions, e.g. "
                        + "CT1@10.0.0.5=store");
            }
            String aeTitle = entry.substring(0, at).strip();
            String host = entry.substring(at + 1, equals).strip();
            if (aeTitle.length() > 16) {
                throw new IllegalArgumentException("peer '" + entry + "': an AE title has at most 16 characters");
            }
            Set<DimsePermission> permissions = EnumSet.noneOf(DimsePermission.class);
            for (String permission : entry.substring(equals + 1).split("\\+")) {
                permissions.add(DimsePermission.parse(permission));
            }
            Set<InetAddress> addresses = Set.of();
            if (!host.equals("*")) {
                try {
                    addresses = Set.of(InetAddress.getAllByName(host));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("peer '" + entry + "': host " + host + " does not resolve");
                }
            }
            entries.add(new Entry(aeTitle, host, addresses, permissions));
        }
        return new PeerTable(entries);
    }

    /** The permissions of {@code callingAeTitle} connecting from {@code address}, or {@code null} when unknown. */
    Set<DimsePermission> permissions(String callingAeTitle, InetAddress address) {
        for (Entry entry : entries) {
            boolean aeMatches = entry.aeTitle.equals("*") || entry.aeTitle.equals(callingAeTitle);
            boolean hostMatches = entry.host.equals("*") || entry.addresses.contains(address);
            if (aeMatches && hostMatches) {
                return entry.permissions;
            }
        }
        return null;
    }
}
