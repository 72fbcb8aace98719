package org.panacea.plugins.imaging.compression;

/**
 * The learned probability of one binary decision, as the mean of a fast and a slow estimate: the fast one follows
 * local changes within a few dozen pixels, the slow one keeps a stable estimate over thousands. Probabilities are
 * 16-bit fixed point and never reach 0 or 1, so every decision stays codable.
 */
final class AdaptiveBit {

    private static final int FAST = 4;
    private static final int SLOW = 6;

    private int fast = 1 << 15;
    private int slow = 1 << 15;

    /** Probability that the next bit is 0, in 1/65536, between 1 and 65535. */
    int probabilityOfZero() {
        return (fast + slow) >>> 1;
    }

    void update(int bit) {
        if (bit == 0) {
            fast += (65536 - fast) >> FAST;
            slow += (65536 - slow) >> SLOW;
        } else {
            fast -= fast >> FAST;
            slow -= slow >> SLOW;
        }
    }
}
