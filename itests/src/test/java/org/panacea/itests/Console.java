package org.panacea.itests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/** Runs Karaf console commands in the integration tests the way an ssh user would. */
final class Console {

    private Console() {
    }

    /**
     * Runs {@code command} as {@code user} (logged in through the realm with the password equal to the name, like
     * the test users) and returns what it printed, failures included as the console shows them.
     */
    static String run(SessionFactory sessionFactory, String user, String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, print, print);
        Subject subject = new Subject();
        new LoginContext("karaf", subject, callbacks -> {
            for (var callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback password) {
                    password.setPassword(user.toCharArray());
                }
            }
        }).login();
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (java.security.PrivilegedActionException e) {
            print.println(e.getCause().getMessage());
        } catch (RuntimeException e) {
            // As the console shows a command's failure: "Error executing command: <message>".
            print.println(e.getMessage());
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
