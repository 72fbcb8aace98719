package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;

class SyslogExporterTest {

    @TempDir
    Path folder;

    private final Rfc5424Formatter formatter = new Rfc5424Formatter("test-host");

    @Test
    void appendsOneLinePerEntryToAFile() throws IOException {
        Path file = folder.resolve("log/audit.syslog");
        SyslogExporter exporter = new SyslogExporter(ConfigProxy.of(SyslogConfig.class,
                Map.of("target", "file", "file", file.toString(), "hostname", "test-host")));
        List<AuditEntry> first = List.of(entry(1), entry(2));
        List<AuditEntry> second = List.of(entry(3));

        exporter.onCommitted(first);
        exporter.onCommitted(second);
        exporter.close();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(List.of(formatter.format(entry(1)), formatter.format(entry(2)), formatter.format(entry(3))),
                lines);
    }

    @Test
    void sendsOneDatagramPerEntry() throws IOException {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            SyslogExporter exporter = new SyslogExporter(ConfigProxy.of(SyslogConfig.class, Map.of("target", "udp",
                    "host", "127.0.0.1", "port", server.getLocalPort(), "hostname", "test-host")));

            exporter.onCommitted(List.of(entry(7), entry(8)));

            assertEquals(formatter.format(entry(7)), receive(server));
            assertEquals(formatter.format(entry(8)), receive(server));
            exporter.close();
        }
    }

    @Test
    void aFailingSinkNeverThrowsAndRecovers() {
        List<String> sent = new ArrayList<>();
        boolean[] down = {true};
        SyslogSink flaky = new SyslogSink() {
            @Override
            public void send(String message) throws IOException {
                if (down[0]) {
                    throw new IOException("syslog server down (test)");
                }
                sent.add(message);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        SyslogExporter exporter = new SyslogExporter(flaky, formatter);

        exporter.onCommitted(List.of(entry(1)));
        down[0] = false;
        exporter.onCommitted(List.of(entry(2)));

        assertEquals(List.of(formatter.format(entry(2))), sent);
    }

    @Test
    void targetNoneExportsNothingAndBadTargetsAreRefused() {
        new SyslogExporter(ConfigProxy.of(SyslogConfig.class, Map.of())).onCommitted(List.of(entry(1)));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new SyslogExporter(ConfigProxy.of(SyslogConfig.class, Map.of("target", "tcp"))));
        assertTrue(unknown.getMessage().contains("tcp"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SyslogExporter(ConfigProxy.of(SyslogConfig.class, Map.of("target", "file"))));
    }

    private static String receive(DatagramSocket server) throws IOException {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        server.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private static AuditEntry entry(long sequence) {
        AuditEntry template = Rfc5424FormatterTest.entry("alice", AuditOutcome.SUCCESS, "p-" + sequence,
                Instant.parse("2024-05-01T10:00:00Z").plusSeconds(sequence));
        return new AuditEntry(sequence, template.time(), template.event(), template.detailsDigest(),
                template.previousHash(), template.hash());
    }
}
