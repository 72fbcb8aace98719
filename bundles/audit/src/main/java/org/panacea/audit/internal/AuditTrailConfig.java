package org.panacea.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the audit trail, PID {@code org.panacea.audit} ({@code etc/org.panacea.audit.cfg}). */
@ObjectClassDefinition(name = "Panacea audit trail",
        description = "Hash-chained audit trail with keyed checkpoints, anchored outside its database")
public @interface AuditTrailConfig {

    @AttributeDefinition(name = "Checkpoint interval", min = "1",
            description = "A keyed checkpoint seals every entry whose sequence number is a multiple of this")
    int checkpointInterval() default 1000;

    @AttributeDefinition(name = "Former key file", required = false,
            description = "The audit key file of earlier versions: adopted once as the installation's shared audit"
                    + " key (which lives in the security database, wrapped under the key-store passphrase) when there"
                    + " is none yet, then renamed *.imported. Empty means ${karaf.etc}/panacea-audit.key")
    String keyFile() default "";

    @AttributeDefinition(name = "Largest batch", min = "1",
            description = "Most entries committed together in one transaction")
    int maxBatchSize() default 256;

    @AttributeDefinition(name = "Anchor folder", required = false,
            description = "Folder of the append-only anchor files, one per node, outside the database's folder;"
                    + " verification reads every *.anchors file in it, so nodes sharing one database should share"
                    + " it too. Empty means ${karaf.data}/audit-anchors")
    String anchorFolder() default "";

    @AttributeDefinition(name = "Node name", required = false,
            description = "This node's anchor file is <node name>.anchors; letters, digits, '.', '_' and '-'."
                    + " Every node sharing a database needs its own. Empty means the karaf.name system property")
    String nodeName() default "";

    @AttributeDefinition(name = "Anchor period (seconds)", min = "1",
            description = "How often the head of the chain is anchored, when it moved since the last anchor")
    int anchorPeriodSeconds() default 60;
}
