package org.panacea.load;

import java.time.Duration;

/**
 * The node a soak runs against, and what the soak does to it besides the requests: a plugin swap, a {@code kill -9}
 * and a start again, the heap after a full collection, the audit trail's check. {@link PanaceaSoakNode} is the built
 * distribution; the module's test gives a stand-in.
 */
interface SoakNode extends AutoCloseable {

    /** Where the clients find it. */
    Target target();

    /** What it is, for the report. */
    String description();

    /** The imaging algorithm whose plugin {@link #swapPlugin(int)} replaces: the soak's algorithm runs call it. */
    String swappedAlgorithm();

    /**
     * Swaps the plugin of {@link #swappedAlgorithm()} as an administrator would, the {@code n}-th time (from 0);
     * returns what was done and what the console answered. Throws when the swap itself failed.
     */
    String swapPlugin(int n) throws Exception;

    /** Ends the node's process at once, as {@code kill -9} does; returns once it is gone. */
    void kill();

    /** Starts the node again after {@link #kill()}; true once it serves within {@code limit}. */
    boolean restart(Duration limit);

    /** The heap in use right after a full collection and the resident memory, both in bytes; null when down. */
    Memory memory();

    /** The audit trail's own check of its chain, as an auditor runs it; its one line of answer. */
    String auditVerify() throws Exception;

    @Override
    void close();

    /** Heap used after a full garbage collection, and resident set size, in bytes; {@code pid} says which JVM. */
    record Memory(long pid, long heapAfterGc, long resident) {
    }
}
