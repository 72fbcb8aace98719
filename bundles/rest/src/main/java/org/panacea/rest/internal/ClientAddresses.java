package org.panacea.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;

/**
 * The address of the client a request comes from, as the audit trail and the login throttle see it. Behind a load
 * balancer every connection comes from the balancer, so every audit entry would name it and one client's failed
 * logins would throttle everyone's. When the connection's peer is a configured trusted proxy, the client is the
 * right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy (each proxy appends the address it
 * received the request from; what is left of it the client could have written). The header of any other peer is
 * ignored, so a client that reaches a node directly cannot name an address of its choosing. Immutable, thread-safe.
 */
final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** IP literals only: a name here would need a DNS lookup per request, and DNS answers can be forged. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** No trusted proxy: the connection's peer is the client. */
    static final ClientAddresses DIRECT = new ClientAddresses(Set.of());

    private final Set<String> trustedProxies;

    private ClientAddresses(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    /**
     * Reads {@code trusted.proxies}: IP addresses separated by commas, e.g. {@code 10.0.0.5, 10.0.0.6}.
     *
     * @throws IllegalArgumentException naming an entry that is not an IP address
     */
    static ClientAddresses parse(String configured) {
        Set<String> proxies = new LinkedHashSet<>();
        for (String entry : configured == null ? new String[0] : configured.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String normal = normalise(entry.strip());
            if (normal == null) {
                throw new IllegalArgumentException("trusted.proxies: '" + entry.strip() + "' is not an IP address "
                        + "(names are not accepted: give the balancers' addresses)");
            }
            proxies.add(normal);
        }
        return proxies.isEmpty() ? DIRECT : new ClientAddresses(proxies);
    }

    /** The client's address for {@code request}. */
    String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (trustedProxies.isEmpty() || !trustedProxies.contains(normalise(peer))) {
            return peer;
        }
        List<String> hops = forwardedFor(request);
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = normalise(withoutPort(hops.get(i).strip()));
            if (hop == null) {
                // A hop that is not an address: nothing left of it can be told apart from what a client wrote.
                return peer;
            }
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private static List<String> forwardedFor(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        var headers = request.getHeaders(FORWARDED_FOR);
        List<String> values = headers == null ? new ArrayList<>() : Collections.list(headers);
        if (headers == null && request.getHeader(FORWARDED_FOR) != null) {
            values.add(request.getHeader(FORWARDED_FOR));
        }
        for (String value : values) {
            for (String hop : value.split(",")) {
                hops.add(hop);
            }
        }
        return hops;
    }

    /** {@code 192.0.2.7:4711} and {@code [2001:db8::7]:4711} without their ports. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[") && hop.indexOf(']') > 0) {
            return hop.substring(1, hop.indexOf(']'));
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':') && hop.indexOf('.') > 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    /** The canonical text of an IP literal (so {@code ::1} matches {@code 0:0:0:0:0:0:0:1}), or {@code null}. */
    static String normalise(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return null;
        }
        try {
            // An IP literal: no name lookup happens.
            return InetAddress.getByName(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
