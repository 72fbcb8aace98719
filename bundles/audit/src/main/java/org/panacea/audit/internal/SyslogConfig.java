package org.panacea.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the syslog export, PID {@code org.panacea.audit.syslog} ({@code etc/org.panacea.audit.syslog.cfg}).
 * Without this configuration, or with {@code target = none}, nothing is exported.
 */
@ObjectClassDefinition(name = "Panacea audit syslog export",
        description = "Writes one RFC 5424 message per committed audit entry and per anchor")
public @interface SyslogConfig {

    @AttributeDefinition(name = "Target", options = {
        @Option(value = "none", label = "Disabled"),
        @Option(value = "file", label = "Append to a file"),
        @Option(value = "udp", label = "Send to a syslog server over UDP (RFC 5426)"),
        @Option(value = "tls", label = "Send to a syslog server over TLS (RFC 5425)")})
    String target() default "none";

    @AttributeDefinition(name = "File", required = false, description = "File to append to, for target file")
    String file() default "";

    @AttributeDefinition(name = "Host", description = "Syslog server, for targets udp and tls")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "0", max = "65535",
            description = "Syslog server port; 0 means the standard one: 514 for udp, 6514 for tls")
    int port() default 0;

    @AttributeDefinition(name = "Host name", required = false,
            description = "HOSTNAME field of each message; empty means this machine's name")
    String hostname() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "For tls: key store file with the certificates (or their CA) the server's certificate must"
                    + " chain to; empty means the JVM's default trusted authorities. The server's certificate must"
                    + " also name the host")
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store password", required = false, type = AttributeType.PASSWORD)
    String _trustStorePassword() default "";

    @AttributeDefinition(name = "Trust store type", description = "PKCS12, JKS, or another type the JVM reads")
    String trustStoreType() default "PKCS12";

    @AttributeDefinition(name = "Key store", required = false,
            description = "For tls: key store with this node's client certificate and key, when the server asks for"
                    + " one (mutual TLS, as RFC 5425 recommends); empty means none")
    String keyStore() default "";

    @AttributeDefinition(name = "Key store password", required = false, type = AttributeType.PASSWORD)
    String _keyStorePassword() default "";

    @AttributeDefinition(name = "Key store type")
    String keyStoreType() default "PKCS12";

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1",
            description = "For tls: longest wait for the connection and the TLS handshake")
    int connectTimeoutSeconds() default 10;
}
