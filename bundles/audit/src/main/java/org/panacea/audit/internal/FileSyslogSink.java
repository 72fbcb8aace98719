package org.panacea.audit.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one message per line to a file, in UTF-8. The file is opened per batch and closed after it, so a log
 * rotation that moves the file away is followed at the next batch.
 */
final class FileSyslogSink implements SyslogSink {

    private static final Logger LOG = LoggerFactory.getLogger(FileSyslogSink.class);

    private final Path file;
    private BufferedWriter writer;

    FileSyslogSink(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void send(String message) throws IOException {
        if (writer == null) {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        writer.write(message);
        writer.write('\n');
    }

    @Override
    public synchronized void flush() throws IOException {
        if (writer != null) {
            try {
                writer.flush();
            } finally {
                close();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("Closing the audit syslog file {} failed: {}", file, e.toString());
        } finally {
            writer = null;
        }
    }

    @Override
    public String toString() {
        return "file " + file;
    }
}
