package org.panacea.records.internal.images;

import java.io.InputStream;

import javax.persistence.EntityManager;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldEncryption;

/** The bytes of a stored binary (an image instance, a FHIR Binary), its chunks decrypted one at a time as read. */
final class ChunkReader extends InputStream {

    private final FieldEncryption encryption;
    private final EntityManager em;
    private final String binaryId;
    private final int chunkCount;
    private int next;
    private byte[] current = new byte[0];
    private int position;

    ChunkReader(FieldEncryption encryption, EntityManager em, ImageInstanceRow row) {
        this(encryption, em, row.binaryId(), row.chunkCount());
    }

    /** The {@code chunkCount} chunks of {@code binaryId}, as its sealed description counts them. */
    ChunkReader(FieldEncryption encryption, EntityManager em, String binaryId, int chunkCount) {
        this.encryption = encryption;
        this.em = em;
        this.binaryId = binaryId;
        this.chunkCount = chunkCount;
    }

    private boolean fill() {
        while (position >= current.length) {
            if (next >= chunkCount) {
                return false;
            }
            BinaryChunkRow chunk = em.find(BinaryChunkRow.class, new BinaryChunkRow.Key(binaryId, next));
            if (chunk == null) {
                // The sealed description counts it, so a missing chunk is a database changed behind our back.
                throw new DecryptionException("chunk " + next + " of " + chunkCount + " of stored binary " + binaryId
                        + " is missing");
            }
            current = encryption.decrypt(ChunkWriter.binding(binaryId, next), chunk.sealed());
            em.detach(chunk);
            position = 0;
            next++;
        }
        return true;
    }

    @Override
    public int read() {
        return fill() ? current[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] data, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, data, offset, n);
        position += n;
        return n;
    }
}
