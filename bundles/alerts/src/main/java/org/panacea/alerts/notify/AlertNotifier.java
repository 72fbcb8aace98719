package org.panacea.alerts.notify;

import java.io.IOException;

import org.panacea.api.alerts.Alert;

/** One way alerts leave the platform (e-mail, webhook). Called from one thread at a time. */
public interface AlertNotifier {

    /** @throws IOException when the alert could not be handed over; the alert stays stored either way */
    void send(Alert alert) throws IOException;
}
