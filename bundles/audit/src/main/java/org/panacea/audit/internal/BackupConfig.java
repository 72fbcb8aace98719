package org.panacea.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code platform:backup}, PID {@code org.panacea.backup} ({@code etc/org.panacea.backup.cfg}). */
@ObjectClassDefinition(name = "Panacea backup", description = "Where platform:backup writes, and how it runs pg_dump")
public @interface BackupConfig {

    @AttributeDefinition(name = "Backup folder", required = false,
            description = "The folder backups are written into, one sub-folder each; empty means ${karaf.data}/backup."
                    + " Better on another disk than the databases, and copied off the machine")
    String folder() default "";

    @AttributeDefinition(name = "pg_dump", required = false,
            description = "The pg_dump program for PostgreSQL data sources: a name on the PATH or a full path, of the"
                    + " server's major version or newer")
    String pgDump() default "pg_dump";

    @AttributeDefinition(name = "pg_dump timeout (minutes)", min = "1",
            description = "How long one database's dump may take before it is stopped and the backup fails")
    int pgDumpTimeoutMinutes() default 240;
}
