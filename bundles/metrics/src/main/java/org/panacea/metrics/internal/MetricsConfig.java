package org.panacea.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Who may scrape {@code GET /metrics}, read from {@code etc/org.panacea.metrics.cfg}. */
@ObjectClassDefinition(name = "Panacea metrics", description = "Access to GET /metrics")
public @interface MetricsConfig {

    /** The configuration PID, and the name of the file in {@code etc/}. */
    String PID = "org.panacea.metrics";

    @AttributeDefinition(description = "IP addresses and CIDR blocks (IPv4 or IPv6) that may GET /metrics without"
            + " credentials, comma separated; the connection's peer address is matched, never a forwarding header."
            + " Empty: nobody may.")
    String[] allowed_addresses() default { "127.0.0.1", "::1" };
}
