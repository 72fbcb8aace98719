package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.dicom.read.DicomLimitException;
import org.panacea.records.internal.images.DicomImageArchive;

/**
 * Uploads whose header declares a huge image: the archive (reading a stream of unknown length, as STOW-RS hands it
 * over) refuses them without allocating the declared size, and stores nothing; over the configured pixel limit the
 * refusal names the limit and its setting.
 */
class ArchiveUploadLimitsTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private RecordsFixture fixture;

    @BeforeEach
    void open() throws Exception {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        fixture = RecordsFixture.derby(Clock.fixed(RecordsContract.NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aHugeDeclaredFrameWithAFewPixelBytesIsRefusedWithoutAllocatingItAndNothingIsStored() throws Exception {
        DicomImageArchive archive = fixture.archive();
        archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(RecordsContract.dicom("CT_small.dcm")));
        long resources = fixture.count("PANACEA_RESOURCE");
        long chunks = fixture.count("PANACEA_BINARY_CHUNK");
        long declared = 2L * 16384 * 16384; // 512 MiB of 16-bit pixels, within the default limit
        byte[] file = image(16384, 16384, declared, 64);

        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(file)));
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;

        assertTrue(e.getMessage().contains("the pixel data ends after 64 of the " + declared + " bytes"),
                e.getMessage());
        // The archive's own 1 MiB chunk buffer and the database work are the floor; the declared 512 MiB is far off.
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes for an upload declaring " + declared);
        assertEquals(resources, fixture.count("PANACEA_RESOURCE"));
        assertEquals(chunks, fixture.count("PANACEA_BINARY_CHUNK"));
        assertEquals(1, fixture.count("PANACEA_IMAGE_INSTANCE"));
    }

    @Test
    void aDeclaredSizeOverTheConfiguredLimitIsRefusedNamingTheSetting() throws Exception {
        DicomImageArchive archive = fixture.archive(1L << 20);
        byte[] file = image(1024, 1024, 2L << 20, 64);
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(file)));
        assertInstanceOf(DicomLimitException.class, e.getCause());
        assertTrue(e.getMessage().contains("more than the limit of 1048576 bytes (1 MiB)"), e.getMessage());
        assertTrue(e.getMessage().contains("max.pixel.mebibytes in etc/org.panacea.records.images.cfg"),
                e.getMessage());
        assertEquals(0, fixture.count("PANACEA_IMAGE_INSTANCE"));
        assertEquals(0, fixture.count("PANACEA_BINARY_CHUNK"));
        // Real images still go in under that limit.
        archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(RecordsContract.dicom("CT_small.dcm")));
    }

    /**
     * A Part 10 file, explicit VR little endian, with a patient, of a {@code rows x columns} 16-bit grey image whose
     * Pixel Data declares {@code declared} bytes and holds {@code sent}.
     */
    private static byte[] image(int rows, int columns, long declared, int sent) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1\0");
        byte[] group = meta.toByteArray();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(file, 0x0002, 0x0000, "UL", le(group.length, 4));
        file.writeBytes(group);
        element(file, 0x0008, 0x0018, "UI", "1.2.3.4.5.6.7.8\0");
        element(file, 0x0010, 0x0020, "LO", "HUGE-1");
        element(file, 0x0020, 0x000D, "UI", "1.2.3.4.5.6.7.9\0");
        element(file, 0x0020, 0x000E, "UI", "1.2.3.4.5.6.7.10");
        element(file, 0x0028, 0x0002, "US", le(1, 2));
        element(file, 0x0028, 0x0004, "CS", "MONOCHROME2 ");
        element(file, 0x0028, 0x0010, "US", le(rows, 2));
        element(file, 0x0028, 0x0011, "US", le(columns, 2));
        element(file, 0x0028, 0x0100, "US", le(16, 2));
        element(file, 0x0028, 0x0101, "US", le(16, 2));
        element(file, 0x0028, 0x0102, "US", le(15, 2));
        element(file, 0x0028, 0x0103, "US", le(0, 2));
        file.writeBytes(le(0x7FE0, 2));
        file.writeBytes(le(0x0010, 2));
        file.writeBytes("OW\0\0".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(le(declared, 4));
        file.writeBytes(new byte[sent]);
        return file.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int group, int element, String vr, String value) {
        element(out, group, element, vr, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void element(ByteArrayOutputStream out, int group, int element, String vr, byte[] value) {
        out.writeBytes(le(group, 2));
        out.writeBytes(le(element, 2));
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(value.length, 2));
        out.writeBytes(value);
    }

    private static byte[] le(long value, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (value >>> 8 * i);
        }
        return b;
    }
}
