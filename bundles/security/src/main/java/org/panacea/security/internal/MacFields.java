package org.panacea.security.internal;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;

/** Feeds fields to a MAC length-prefixed, so that no two different field lists hash the same bytes. */
final class MacFields {

    private MacFields() {
    }

    static void update(Mac mac, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        mac.update(new byte[] { (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
            (byte) (bytes.length >>> 8), (byte) bytes.length });
        mac.update(bytes);
    }
}
