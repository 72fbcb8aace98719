package org.panacea.records.internal.images;

import java.io.InputStream;

import javax.persistence.EntityManager;

import org.panacea.api.security.FieldEncryption;

/** The bytes of a stored instance, its chunks decrypted one at a time as they are read. */
final class ChunkReader extends InputStream {

    private final FieldEncryption encryption;
    private final EntityManager em;
    private final ImageInstanceRow row;
    private int next;
    private byte[] current = new byte[0];
    private int position;

    ChunkReader(FieldEncryption encryption, EntityManager em, ImageInstanceRow row) {
        this.encryption = encryption;
        this.em = em;
        this.row = row;
    }

    private boolean fill() {
        while (position >= current.length) {
            if (next >= row.chunkCount()) {
                return false;
            }
            BinaryChunkRow chunk = em.find(BinaryChunkRow.class, new BinaryChunkRow.Key(row.binaryId(), next));
            if (chunk == null) {
                throw new IllegalStateException("chunk " + next + " of a stored image is missing");
            }
            current = encryption.decrypt(ChunkWriter.binding(row.binaryId(), next), chunk.sealed());
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
