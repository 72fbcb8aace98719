package org.panacea.audit.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Sends each message as one UDP datagram (RFC 5426). UDP is fire-and-forget: a lost datagram goes unnoticed, which is
 * why the database, not the export, is the record. The host name is resolved again for every message, so a changed
 * DNS entry is picked up.
 */
final class UdpSyslogSink implements SyslogSink {

    private final String host;
    private final int port;
    private final DatagramSocket socket;

    UdpSyslogSink(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.socket = new DatagramSocket();
    }

    @Override
    public void send(String message) throws IOException {
        InetSocketAddress target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            throw new IOException("Cannot resolve syslog host " + host);
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, target));
    }

    @Override
    public void flush() {
        // Every datagram has already left.
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "udp " + host + ":" + port;
    }
}
