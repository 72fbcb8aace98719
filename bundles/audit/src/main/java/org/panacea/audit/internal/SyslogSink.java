package org.panacea.audit.internal;

import java.io.IOException;

/** Where syslog messages go. Called from one thread at a time. */
interface SyslogSink extends AutoCloseable {

    /** Sends or buffers one message, without line terminator. */
    void send(String message) throws IOException;

    /** Makes buffered messages leave the process. */
    void flush() throws IOException;

    @Override
    void close();
}
