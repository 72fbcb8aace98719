package org.panacea.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the security bundle, PID {@code org.panacea.security} ({@code etc/org.panacea.security.cfg}). */
@ObjectClassDefinition(name = "Panacea security", description = "Key passphrase, former key store, plugin trust")
public @interface SecurityConfiguration {

    @AttributeDefinition(description = "BCFKS key store file of earlier versions (key-encryption keys and the "
            + "blind-index key): imported into the security database on the first start of this version, then "
            + "renamed *.imported and never read again; the keys live in the database. "
            + "Empty means ${karaf.etc}/panacea-keys.bcfks")
    String keystore_path() default "";

    @AttributeDefinition(description = "Passphrase of the key store, as the private property .keystore.passphrase: "
            + "the leading dot keeps it out of the service properties of the components that share this "
            + "configuration (service:list shows those). The environment variable PANACEA_KEYSTORE_PASSPHRASE wins "
            + "over it; when both are empty the passphrase file is used",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String _keystore_passphrase() default "";

    @AttributeDefinition(description = "The passphrase under its former public name: still read, with a warning, "
            + "because a public property is published with every service of this configuration")
    String keystore_passphrase() default "";

    @AttributeDefinition(description = "File holding the passphrase when neither the environment nor this "
            + "configuration gives one; created with a random passphrase on first start (demo set-up). "
            + "Empty means ${karaf.etc}/panacea-keystore.passphrase")
    String keystore_passphrase_file() default "";

    @AttributeDefinition(description = "Folder of trusted vendor certificates (PEM or DER, *.pem / *.crt / *.cer); "
            + "empty means ${karaf.etc}/trusted-vendors")
    String plugins_trusted_certificates() default "";

    @AttributeDefinition(description = "Development mode: let unsigned plugin bundles resolve (never in production)")
    boolean plugins_allow_unsigned() default false;

    @AttributeDefinition(description = "Production mode: refuse to start with the demo passwords, with the key store "
            + "passphrase in a file on disk, or with HTTP that is not TLS (each named in the log)")
    boolean production() default false;
}
