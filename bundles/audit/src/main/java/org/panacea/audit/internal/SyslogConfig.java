package org.panacea.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the syslog export, PID {@code org.panacea.audit.syslog} ({@code etc/org.panacea.audit.syslog.cfg}).
 * Without this configuration, or with {@code target = none}, nothing is exported.
 */
@ObjectClassDefinition(name = "Panacea audit syslog export",
        description = "Writes one RFC 5424 line per committed audit entry")
public @interface SyslogConfig {

    @AttributeDefinition(name = "Target", options = {
        @Option(value = "none", label = "Disabled"),
        @Option(value = "file", label = "Append to a file"),
        @Option(value = "udp", label = "Send to a syslog server over UDP (RFC 5426)")})
    String target() default "none";

    @AttributeDefinition(name = "File", required = false, description = "File to append to, for target file")
    String file() default "";

    @AttributeDefinition(name = "Host", description = "Syslog server, for target udp")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "1", max = "65535", description = "Syslog server port, for target udp")
    int port() default 514;

    @AttributeDefinition(name = "Host name", required = false,
            description = "HOSTNAME field of each message; empty means this machine's name")
    String hostname() default "";
}
