package org.panacea.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScrapeAccessTest {

    @Test
    void singleAddressesAndBlocksOfBothFamilies() {
        ScrapeAccess access = ScrapeAccess.parse("127.0.0.1", " 10.1.2.0/24", "fd00::/8", "::1");
        assertTrue(access.permits("127.0.0.1"));
        assertTrue(access.permits("10.1.2.200"));
        assertTrue(access.permits("fd12:3456::1"));
        assertTrue(access.permits("0:0:0:0:0:0:0:1"));
        assertTrue(access.permits("[::1]"));
        assertFalse(access.permits("127.0.0.2"));
        assertFalse(access.permits("10.1.3.1"));
        assertFalse(access.permits("fe80::1"));
    }

    @Test
    void prefixesThatAreNotWholeBytes() {
        ScrapeAccess access = ScrapeAccess.parse("192.168.4.0/22");
        assertTrue(access.permits("192.168.7.255"));
        assertFalse(access.permits("192.168.8.0"));
        assertFalse(access.permits("192.168.3.255"));
    }

    @Test
    void outsidersAndOddAnswersAreRefused() {
        ScrapeAccess access = ScrapeAccess.parse("127.0.0.1");
        assertFalse(access.permits(null));
        assertFalse(access.permits(""));
        assertFalse(access.permits("localhost"), "names are never resolved");
        assertFalse(access.permits("::ffff:127.0.0.2"));
        assertTrue(access.permits("::ffff:127.0.0.1"), "an IPv4 peer seen through an IPv6 socket");
        assertFalse(ScrapeAccess.parse().permits("127.0.0.1"), "an empty list admits nobody");
    }

    @Test
    void badEntriesAreNamed() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> ScrapeAccess.parse("prometheus.example.org"));
        assertTrue(name.getMessage().contains("prometheus.example.org"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScrapeAccess.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ScrapeAccess.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> ScrapeAccess.parse("10.0.0.0/-1"));
    }
}
