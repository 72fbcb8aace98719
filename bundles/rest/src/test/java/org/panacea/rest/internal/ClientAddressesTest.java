package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Collections;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

/**
 * Who the client is behind a balancer, and that no one else can say who they are: {@code X-Forwarded-For} counts only
 * from a trusted proxy, and only to the right of what the client itself could have written.
 */
class ClientAddressesTest {

    private static final ClientAddresses BALANCERS = ClientAddresses.parse("10.0.0.5, 10.0.0.6 ,::1");

    /** A request from {@code peer} with one {@code X-Forwarded-For} header line per value. */
    private static HttpServletRequest from(String peer, String... forwardedFor) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getRemoteAddr()).thenReturn(peer);
        when(request.getHeaders(ClientAddresses.FORWARDED_FOR)).thenAnswer(
                call -> Collections.enumeration(List.of(forwardedFor)));
        when(request.getHeader(ClientAddresses.FORWARDED_FOR)).thenReturn(forwardedFor.length == 0 ? null
                : forwardedFor[0]);
        return request;
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        assertEquals("10.0.0.5", ClientAddresses.DIRECT.of(from("10.0.0.5", "192.0.2.1")));
        assertEquals("10.0.0.5", ClientAddresses.parse("").of(from("10.0.0.5", "192.0.2.1")));
    }

    @Test
    void aTrustedBalancerNamesTheClient() {
        assertEquals("192.0.2.44", BALANCERS.of(from("10.0.0.5", "192.0.2.44")));
        assertEquals("2001:db8:0:0:0:0:0:7", BALANCERS.of(from("10.0.0.6", "2001:db8::7")));
        assertEquals("192.0.2.44", BALANCERS.of(from("0:0:0:0:0:0:0:1", "192.0.2.44")), "::1 written another way");
        // Ports some proxies add are not part of the address.
        assertEquals("192.0.2.44", BALANCERS.of(from("10.0.0.5", "192.0.2.44:51234")));
        assertEquals("2001:db8:0:0:0:0:0:7", BALANCERS.of(from("10.0.0.5", "[2001:db8::7]:51234")));
    }

    @Test
    void aClientCannotNameItsOwnAddress() {
        // Directly to a node: its header is not believed.
        assertEquals("198.51.100.9", BALANCERS.of(from("198.51.100.9", "10.1.1.1")));
        // Through the balancer, with a header of its own: the balancer appends the real peer, which wins.
        assertEquals("198.51.100.9", BALANCERS.of(from("10.0.0.5", "10.1.1.1, 198.51.100.9")));
        assertEquals("198.51.100.9", BALANCERS.of(from("10.0.0.5", "10.1.1.1", "198.51.100.9")), "two header lines");
        // Through two balancers in a row: the right-most address that is not one of them.
        assertEquals("198.51.100.9", BALANCERS.of(from("10.0.0.5", "10.1.1.1, 198.51.100.9, 10.0.0.6")));
        // A hop that is not an address (a name, garbage): the balancer's own address, nothing the client wrote.
        assertEquals("10.0.0.5", BALANCERS.of(from("10.0.0.5", "10.1.1.1, evil.example")));
        assertEquals("10.0.0.5", BALANCERS.of(from("10.0.0.5", "unknown")));
        // No header at all, or only balancers in it.
        assertEquals("10.0.0.5", BALANCERS.of(from("10.0.0.5")));
        assertEquals("10.0.0.5", BALANCERS.of(from("10.0.0.5", "10.0.0.6")));
    }

    @Test
    void onlyAddressesAreAcceptedAsTrustedProxies() {
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> ClientAddresses.parse("10.0.0.5, balancer.example"));
        assertTrue(named.getMessage().contains("'balancer.example' is not an IP address"), named.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.parse("10.0.0.0/24"));
    }
}
