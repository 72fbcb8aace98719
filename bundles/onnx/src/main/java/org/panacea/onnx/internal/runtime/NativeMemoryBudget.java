package org.panacea.onnx.internal.runtime;

/**
 * The native memory that ONNX Runtime may hold, kept as a count of reserved bytes against a fixed limit. The JVM's
 * heap guard sees none of the memory a session allocates (weights, arena, intermediate tensors), so every load and
 * every run reserves its estimate here first and is refused when it would pass the limit. Thread-safe.
 */
final class NativeMemoryBudget {

    private final long limitBytes;
    private long reservedBytes;

    NativeMemoryBudget(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("native memory limit must be positive, was " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /**
     * Reserves bytes, or says why not.
     *
     * @return {@code null} when reserved; otherwise the reason, for the caller's refusal
     */
    synchronized String tryReserve(long bytes, String purpose) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        if (bytes > limitBytes - reservedBytes) {
            return purpose + " needs an estimated " + mib(bytes) + " MiB of native memory; " + mib(reservedBytes)
                    + " of the " + mib(limitBytes) + " MiB budget (native.memory.limit.mb) are in use";
        }
        reservedBytes += bytes;
        return null;
    }

    synchronized void release(long bytes) {
        reservedBytes = Math.max(0, reservedBytes - bytes);
    }

    synchronized long reservedBytes() {
        return reservedBytes;
    }

    long limitBytes() {
        return limitBytes;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
