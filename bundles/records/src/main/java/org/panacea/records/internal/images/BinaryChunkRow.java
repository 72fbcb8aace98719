package org.panacea.records.internal.images;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Lob;
import javax.persistence.Table;

/**
 * One sealed chunk of a large binary (an image file). Sealing in chunks lets an upload be encrypted and written as
 * it arrives, never held whole in memory twice; each chunk is bound to its binary and position, so chunks cannot be
 * reordered or swapped between images unnoticed.
 */
@Entity
@IdClass(BinaryChunkRow.Key.class)
@Table(name = "PANACEA_BINARY_CHUNK")
public class BinaryChunkRow {

    /** Plaintext bytes per chunk. */
    public static final int CHUNK_BYTES = 1024 * 1024;

    @Id
    @Column(name = "BINARY_ID", length = 64)
    private String binaryId;

    @Id
    @Column(name = "CHUNK_INDEX")
    private int chunkIndex;

    @Lob
    @Column(name = "SEALED", nullable = false, length = CHUNK_BYTES + 1024)
    private byte[] sealed;

    protected BinaryChunkRow() {
        // for JPA
    }

    public BinaryChunkRow(String binaryId, int chunkIndex, byte[] sealed) {
        this.binaryId = binaryId;
        this.chunkIndex = chunkIndex;
        this.sealed = sealed;
    }

    public int chunkIndex() {
        return chunkIndex;
    }

    public byte[] sealed() {
        return sealed;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String binaryId;
        private int chunkIndex;

        public Key() {
            // for JPA
        }

        public Key(String binaryId, int chunkIndex) {
            this.binaryId = binaryId;
            this.chunkIndex = chunkIndex;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(binaryId, key.binaryId) && chunkIndex == key.chunkIndex;
        }

        @Override
        public int hashCode() {
            return Objects.hash(binaryId, chunkIndex);
        }
    }
}
