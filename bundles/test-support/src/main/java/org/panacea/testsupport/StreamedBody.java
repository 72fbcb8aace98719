package org.panacea.testsupport;

import java.nio.charset.StandardCharsets;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;

/**
 * A request body produced as it is read: a head, a unit repeated as often as the size asks, and a tail. A body of
 * 60 MiB costs a test nothing until the code under test reads it, and {@link #bytesRead()} tells how much it read
 * (so a test sees that a limit stopped the reading early). Blocking reads only.
 */
public final class StreamedBody extends ServletInputStream {

    private final byte[] head;
    private final byte[] unit;
    private final byte[] tail;
    private final long size;
    private final long tailStart;
    private long position;

    /**
     * A body of about {@code approximateSize} bytes: {@code head}, as many whole {@code unit}s as fit, {@code tail}
     * (never shorter than head and tail).
     */
    public StreamedBody(byte[] head, byte[] unit, byte[] tail, long approximateSize) {
        if (unit.length == 0) {
            throw new IllegalArgumentException("the repeated unit is empty");
        }
        this.head = head.clone();
        this.unit = unit.clone();
        this.tail = tail.clone();
        long units = Math.max(0, (approximateSize - head.length - tail.length) / unit.length);
        this.size = head.length + units * unit.length + tail.length;
        this.tailStart = size - tail.length;
    }

    /** Exactly {@code text}, as UTF-8. */
    public static StreamedBody of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Exactly {@code bytes}. */
    public static StreamedBody of(byte[] bytes) {
        return new StreamedBody(bytes, new byte[] {' '}, new byte[0], bytes.length);
    }

    /** The exact length of the body. */
    public long size() {
        return size;
    }

    /** How many bytes have been read so far. */
    public synchronized long bytesRead() {
        return position;
    }

    private int byteAt(long at) {
        if (at < head.length) {
            return head[(int) at] & 0xff;
        }
        if (at >= tailStart) {
            return tail[(int) (at - tailStart)] & 0xff;
        }
        return unit[(int) ((at - head.length) % unit.length)] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = (byte) byteAt(position + i);
        }
        position += n;
        return n;
    }

    @Override
    public synchronized int read() {
        return position >= size ? -1 : byteAt(position++);
    }

    @Override
    public int read(byte[] buffer) {
        return read(buffer, 0, buffer.length);
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }

    @Override
    public synchronized boolean isFinished() {
        return position >= size;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("blocking reads only");
    }
}
