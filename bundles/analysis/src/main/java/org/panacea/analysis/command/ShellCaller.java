package org.panacea.analysis.command;

import java.security.AccessController;

import javax.security.auth.Subject;

import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;

/** The user logged in to the console, as a {@link Caller}: console work is checked and audited like HTTP work. */
final class ShellCaller {

    private ShellCaller() {
    }

    @SuppressWarnings("removal") // Karaf runs each command under Subject.doAs; this is how a command reads it on Java 17
    static Caller of(CallerAuthentication authentication) {
        Subject subject = Subject.getSubject(AccessController.getContext());
        return authentication.fromSubject(subject, "console")
                .orElseThrow(() -> new IllegalStateException("no user is logged in to this console session"));
    }
}
