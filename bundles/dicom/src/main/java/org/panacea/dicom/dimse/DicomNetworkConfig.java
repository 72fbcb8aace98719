package org.panacea.dicom.dimse;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DICOM network service's settings ({@code etc/org.panacea.dicom.cfg}). Who may associate is configuration
 * only: a peer is known by the AE title it calls with <em>and</em> the host it connects from.
 */
@ObjectClassDefinition(name = "Panacea DICOM network (DIMSE)", description = "The DICOM upper-layer service: "
        + "C-ECHO, C-STORE, C-FIND for configured application entities")
public @interface DicomNetworkConfig {

    @AttributeDefinition(description = "Whether the service listens at all")
    boolean enabled() default true;

    @AttributeDefinition(description = "The address to listen on (0.0.0.0: every interface)")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(description = "The TCP port (11112 is DICOM's registered port)")
    int port() default 11112;

    @AttributeDefinition(description = "The called AE title peers must use to reach this archive")
    String ae_title() default "PANACEA";

    @AttributeDefinition(description = "Refuse a C-STORE whose descriptive attributes hold a value that breaks its "
            + "VR's rules (status A900) instead of storing it as received with a warning (status B007 naming the "
            + "offending elements)")
    boolean strict_values() default false;

    @AttributeDefinition(description = "Peers that may associate, comma-separated: CALLING_AE@host=permissions, the "
            + "permissions store, query, retrieve joined by '+'; '*' as AE title or host matches any")
    String peers() default "*@127.0.0.1=store+query+retrieve";

    @AttributeDefinition(description = "Destinations of C-MOVE, comma-separated: AE=host:port")
    String destinations() default "";

    @AttributeDefinition(description = "Associations served at once; one more is refused with a transient "
            + "A-ASSOCIATE-RJ")
    int max_associations() default 16;

    @AttributeDefinition(description = "The maximum PDU length this side receives, in bytes; a longer PDU aborts "
            + "the association")
    int max_pdu_length() default 262144;

    @AttributeDefinition(description = "Seconds to wait for the A-ASSOCIATE-RQ after connecting (ARTIM), the "
            + "silence allowed inside it")
    int artim_timeout_seconds() default 10;

    @AttributeDefinition(description = "DICOM TLS (PS3.15 B.1): associations only over TLS, on the same port")
    boolean tls_enabled() default false;

    @AttributeDefinition(description = "The key store with this archive's private key and certificate (PKCS12 or "
            + "JKS), relative to the Karaf home or absolute")
    String tls_keystore_path() default "";

    @AttributeDefinition(description = "The key store's password (also the key's)")
    String tls_keystore_password() default "";

    @AttributeDefinition(description = "The trust store with the certificates (or their issuers) of the peers "
            + "allowed to connect; empty: the JVM's default trust")
    String tls_truststore_path() default "";

    @AttributeDefinition(description = "The trust store's password")
    String tls_truststore_password() default "";

    @AttributeDefinition(description = "Whether a peer must present a certificate the trust store accepts")
    boolean tls_client_auth() default true;

    @AttributeDefinition(description = "The TLS protocol versions allowed, comma-separated")
    String tls_protocols() default "TLSv1.3,TLSv1.2";

    @AttributeDefinition(description = "Seconds an established association may stay silent, between messages or "
            + "inside a PDU")
    int idle_timeout_seconds() default 60;
}
