package org.panacea.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client addresses allowed to scrape {@code /metrics}: single addresses ({@code 127.0.0.1}, {@code ::1}) and
 * CIDR blocks ({@code 10.1.2.0/24}, {@code fd00::/8}), IPv4 and IPv6. It matches the connection's peer address, never
 * a forwarding header, which any client can write. Immutable.
 */
public final class ScrapeAccess {

    // Literal addresses only: a host name would make every scrape depend on name resolution, and its answer can change.
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private ScrapeAccess(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * The allow-list of {@code config}.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or a CIDR block
     */
    public static ScrapeAccess of(MetricsConfig config) {
        // Config Admin gives a comma-separated string from a .cfg file as one value.
        return parse(String.join(",", config.allowed_addresses()).split(","));
    }

    /**
     * Parses {@code entries}.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or a CIDR block
     */
    static ScrapeAccess parse(String... entries) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(address, entry);
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has no valid prefix length (0 to "
                            + network.length * 8 + ")");
                }
            }
            blocks.add(new Block(network, prefix));
        }
        return new ScrapeAccess(blocks);
    }

    /** Whether {@code address}, the peer's IP address as the servlet container gives it, may scrape. */
    public boolean permits(String address) {
        if (address == null) {
            return false;
        }
        byte[] bytes;
        try {
            // Servlet containers write IPv6 peers in brackets on some versions.
            bytes = literal(address.replace("[", "").replace("]", ""), address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return blocks.stream().anyMatch(block -> block.contains(bytes));
    }

    private static byte[] literal(String address, String entry) {
        if (!LITERAL.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
        }
        try {
            // Only literals reach here, so no name is resolved.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block", e);
        }
    }
}
