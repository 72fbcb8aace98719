package org.panacea.dicom.dimse;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.Caller;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * A DICOM network service on a free port of the loopback interface, with a fake archive that keeps what it is given
 * (the Part 10 bytes) and a recording audit trail.
 */
final class NetworkFixture implements AutoCloseable {

    final RecordingAuditTrail audit = new RecordingAuditTrail();
    final Callers callers = new Callers();
    final List<byte[]> stored = new CopyOnWriteArrayList<>();
    final List<Caller> storedBy = new CopyOnWriteArrayList<>();
    /** The record searches the queries made. */
    final List<org.panacea.api.records.SearchQuery> searches = new CopyOnWriteArrayList<>();
    final DicomNetworkService service;

    NetworkFixture(Map<String, Object> overrides) {
        ImageArchive archive = mock(ImageArchive.class);
        when(archive.store(any(), any())).thenAnswer(call -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (InputStream in = call.getArgument(1)) {
                in.transferTo(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            stored.add(bytes.toByteArray());
            storedBy.add(call.getArgument(0));
            return new ArchivedInstance("p", "s", "1.2", "1.2.3", sopInstanceUid(bytes.toByteArray()), "OT", 1, 1, 1,
                    "");
        });
        // The service stores with value checking; the interface's default takes it to the two-argument store above.
        when(archive.store(any(), any(), any())).thenCallRealMethod();
        when(archive.describe(any(), any())).thenAnswer(call -> {
            String uid = call.getArgument(1);
            for (byte[] part10 : stored) {
                if (sopInstanceUid(part10).equals(uid)) {
                    return new ArchivedInstance("p", "s", "1.2", "1.2.3", uid, "OT", 1, 1, 1, "");
                }
            }
            throw new org.panacea.api.records.ResourceNotFoundException("instance", uid);
        });
        PatientRecords records = mock(PatientRecords.class);
        when(records.search(any(), any())).thenAnswer(call -> {
            searches.add(call.getArgument(1));
            return new org.panacea.api.records.SearchResult(0, List.of());
        });
        service = new DicomNetworkService(archive, records, callers, audit, config(overrides));
    }

    int port() {
        return service.port();
    }

    /** (0002,0003) of the Part 10 header the service wrote. */
    static String sopInstanceUid(byte[] part10) {
        int at = 132;
        while (at + 8 <= part10.length) {
            int element = (part10[at + 2] & 0xFF) | (part10[at + 3] & 0xFF) << 8;
            String vr = new String(part10, at + 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
            int length;
            int header;
            if (vr.equals("OB")) {
                length = java.nio.ByteBuffer.wrap(part10, at + 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                header = 12;
            } else {
                length = (part10[at + 6] & 0xFF) | (part10[at + 7] & 0xFF) << 8;
                header = 8;
            }
            if (element == 0x0003) {
                return new String(part10, at + header, length, java.nio.charset.StandardCharsets.US_ASCII)
                        .replace("\0", "");
            }
            at += header + length;
        }
        return "";
    }

    static DicomNetworkConfig config(Map<String, Object> overrides) {
        return (DicomNetworkConfig) Proxy.newProxyInstance(DicomNetworkConfig.class.getClassLoader(),
                new Class<?>[] {DicomNetworkConfig.class}, (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getName().equals("port")) {
                        return 0;
                    }
                    if (method.getName().equals("bind_address")) {
                        return "127.0.0.1";
                    }
                    return method.getDefaultValue();
                });
    }

    @Override
    public void close() {
        service.deactivate();
    }
}
