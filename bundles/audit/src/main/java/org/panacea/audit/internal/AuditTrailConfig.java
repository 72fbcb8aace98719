package org.panacea.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the audit trail, PID {@code org.panacea.audit} ({@code etc/org.panacea.audit.cfg}). */
@ObjectClassDefinition(name = "Panacea audit trail",
        description = "Hash-chained audit trail with keyed checkpoints")
public @interface AuditTrailConfig {

    @AttributeDefinition(name = "Checkpoint interval", min = "1",
            description = "A keyed checkpoint seals every entry whose sequence number is a multiple of this")
    int checkpointInterval() default 1000;

    @AttributeDefinition(name = "Key file", required = false,
            description = "File holding the audit key (created when missing); empty means"
                    + " ${karaf.etc}/panacea-audit.key")
    String keyFile() default "";

    @AttributeDefinition(name = "Largest batch", min = "1",
            description = "Most entries committed together in one transaction")
    int maxBatchSize() default 256;
}
