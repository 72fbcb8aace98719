package org.panacea.audit.internal;

/**
 * The newest entry of the chain: the sequence number the next entry follows and the hash it chains to.
 *
 * @param sequence 0 before the first entry, then the sequence number of the newest entry
 * @param hash     hex SHA-256 of the newest entry, or {@link EntryHasher#GENESIS_HASH} before the first
 */
record ChainHead(long sequence, String hash) {

    /** The head of an empty trail: the first entry gets sequence 1 and chains to 64 zeros. */
    static final ChainHead GENESIS = new ChainHead(0, EntryHasher.GENESIS_HASH);
}
