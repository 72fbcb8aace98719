package org.panacea.records.internal.images;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import javax.persistence.EntityManager;

import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;

/**
 * Seals bytes in chunks as they come and writes each chunk at once, in the transaction of its entity manager,
 * keeping none of them in memory. Each chunk is bound to its binary and position ({@link #binding}).
 */
final class ChunkWriter {

    private final FieldEncryption encryption;
    private final EntityManager em;
    private final String binaryId;
    private final byte[] buffer = new byte[BinaryChunkRow.CHUNK_BYTES];
    private int filled;
    private int count;
    private long bytes;

    ChunkWriter(FieldEncryption encryption, EntityManager em, String binaryId) {
        this.encryption = encryption;
        this.em = em;
        this.binaryId = binaryId;
    }

    /** Where chunk {@code index} of binary {@code binaryId} belongs: the associated data it is sealed with. */
    static FieldBinding binding(String binaryId, int index) {
        return new FieldBinding("Binary", binaryId, "chunk-" + index);
    }

    /** Chunks written so far. */
    int count() {
        return count;
    }

    /** Bytes written so far. */
    long bytes() {
        return bytes;
    }

    void write(byte[] data, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(data, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            bytes += n;
            if (filled == buffer.length) {
                emit();
            }
        }
    }

    private void emit() {
        byte[] plaintext = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
        BinaryChunkRow chunk = new BinaryChunkRow(binaryId, count, encryption.encrypt(binding(binaryId, count),
                plaintext));
        em.persist(chunk);
        em.flush();
        em.detach(chunk); // written in the transaction; no reason to keep it in memory until commit
        count++;
        filled = 0;
    }

    /** Writes what is left as the last chunk (an empty binary still has one). */
    void finish() {
        if (filled > 0 || count == 0) {
            emit();
        }
    }

    /** A stream that hands every byte read through it to this writer as well. */
    InputStream copying(InputStream source) {
        return new FilterInputStream(source) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    write(new byte[] { (byte) b }, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] data, int offset, int length) throws IOException {
                int n = super.read(data, offset, length);
                if (n > 0) {
                    write(data, offset, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // Skipped bytes must be kept too: read them instead.
                byte[] sink = new byte[8192];
                long skipped = 0;
                while (skipped < n) {
                    int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                    if (r < 0) {
                        break;
                    }
                    skipped += r;
                }
                return skipped;
            }
        };
    }

    /** Keeps what follows the pixel data (padding, trailing elements): the stored file is the file received. */
    void drain(InputStream copying) throws IOException {
        byte[] sink = new byte[64 * 1024];
        while (copying.read(sink) >= 0) {
            // each read is copied into the chunks
        }
    }
}
