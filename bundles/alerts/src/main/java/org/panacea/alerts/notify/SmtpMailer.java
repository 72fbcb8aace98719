package org.panacea.alerts.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.panacea.api.alerts.Alert;

/**
 * Sends each alert as one plain-text e-mail over SMTP (RFC 5321): {@code EHLO}, {@code MAIL FROM}, one
 * {@code RCPT TO} per recipient, {@code DATA}, {@code QUIT}, one connection per alert. Written by hand because an
 * alert is a short text and the Jakarta Mail bundles would be the only reason to add a mail stack to the platform.
 * With a TLS socket factory it speaks SMTP over implicit TLS (RFC 8314, port 465): the server must present a
 * certificate the factory's trust store vouches for, issued to the configured host; without one, plain SMTP to a
 * relay on the hospital's network. No authentication (see README "Alerts"). Header fields are built from fixed text and values checked to hold no line breaks, so nothing in an
 * alert can add a header or end the message early (lines starting with a dot are doubled).
 */
public final class SmtpMailer implements AlertNotifier {

    private final String host;
    private final int port;
    private final String from;
    private final List<String> to;
    private final int timeoutMillis;
    private final AlertMessage message;
    private final SSLSocketFactory tls;

    /**
     * @param tls the TLS client of implicit TLS, or {@code null} for plain SMTP
     * @throws IllegalArgumentException when an address holds a line break, or there is no recipient
     */
    public SmtpMailer(String host, int port, String from, List<String> to, int timeoutMillis, AlertMessage message,
            SSLSocketFactory tls) {
        if (to.isEmpty()) {
            throw new IllegalArgumentException("mail.to: name at least one recipient when mail.host is set");
        }
        checkAddress("mail.from", from);
        to.forEach(address -> checkAddress("mail.to", address));
        this.host = host;
        this.port = port;
        this.from = from;
        this.to = List.copyOf(to);
        this.timeoutMillis = timeoutMillis;
        this.message = message;
        this.tls = tls;
    }

    @Override
    public void send(Alert alert) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            Socket socket = tls == null ? plain : handshake(plain);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, 220, "greeting");
            command(out, in, "EHLO panacea", 250);
            command(out, in, "MAIL FROM:<" + from + ">", 250);
            for (String recipient : to) {
                command(out, in, "RCPT TO:<" + recipient + ">", 250);
            }
            command(out, in, "DATA", 354);
            out.write(content(alert).getBytes(StandardCharsets.UTF_8));
            command(out, in, ".", 250);
            command(out, in, "QUIT", 221);
        }
    }

    @Override
    public String toString() {
        return (tls == null ? "smtp " : "smtps ") + host + ":" + port;
    }

    private SSLSocket handshake(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        // Without this, any certificate the trust store vouches for would do, whatever host it was issued to.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** The message: headers, a blank line, the body with dot-stuffing (RFC 5321 4.5.2). */
    String content(Alert alert) {
        StringBuilder data = new StringBuilder();
        data.append("From: ").append(from).append("\r\n");
        data.append("To: ").append(String.join(", ", to)).append("\r\n");
        data.append("Subject: ").append(oneLine(message.subject(alert))).append("\r\n");
        data.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now())).append("\r\n");
        data.append("Message-ID: <").append(UUID.randomUUID()).append("@panacea>\r\n");
        data.append("MIME-Version: 1.0\r\n");
        data.append("Content-Type: text/plain; charset=UTF-8\r\n");
        data.append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        for (String line : message.text(alert).split("\r\n", -1)) {
            data.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        return data.toString();
    }

    private static void command(OutputStream out, BufferedReader in, String line, int expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, expected, line.length() > 12 ? line.substring(0, 12) + "..." : line);
    }

    /** Reads one reply (its continuation lines {@code 250-...} included) and checks its code. */
    private static void expect(BufferedReader in, int expected, String after) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("The SMTP server closed the connection after " + after);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(Integer.toString(expected))) {
            throw new IOException("The SMTP server answered '" + line + "' to " + after + ", expected " + expected);
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private static void checkAddress(String setting, String address) {
        if (address.isBlank() || address.chars().anyMatch(c -> c < 0x21 || c == '<' || c == '>' || c > 0x7e)) {
            throw new IllegalArgumentException(setting + ": '" + address + "' is not an e-mail address");
        }
    }
}
