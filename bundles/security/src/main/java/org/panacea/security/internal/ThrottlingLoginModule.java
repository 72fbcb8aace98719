package org.panacea.security.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;

/**
 * The first module of Panacea's {@code karaf} realm ({@link ThrottlingKarafRealm}), {@code REQUISITE}: it refuses a
 * throttled login before any password is checked, and otherwise stays out of the decision while it learns the outcome.
 * <ul>
 * <li>{@code login()} throws {@link ThrottledLoginException} when the {@link LoginThrottle} says so. A requisite
 * module's failure ends the login phase at once: the password module (bcrypt) and the audit modules never run their
 * {@code login()}, so a refused try costs no hash and publishes no login event (Karaf's audit modules publish a failure
 * in {@code abort()} only for a user name their own {@code login()} saw). Otherwise it returns {@code false}, "ignore
 * me": returning {@code true} would make the login succeed by itself, since Karaf's own modules are all
 * {@code OPTIONAL} and JAAS lets a login through when every required or requisite module succeeded.</li>
 * <li>{@code commit()} (the realm accepted the login) and {@code abort()} (it refused it) report the outcome to the
 * throttle. Only password logins count as failures: an ssh client offering public keys (most do, before asking for the
 * password) is refused by the realm for each key it has no entry for, and must not lock its user out. Such logins are
 * told apart by their callback handler, which rejects a {@link PasswordCallback}.</li>
 * </ul>
 * The client address comes from the subject's {@link ClientPrincipal} (set by Karaf's ssh server, JMX, and Panacea's
 * HTTP login); a login without one is counted under the address {@code unknown}.
 * <p>
 * Karaf's {@code ProxyLoginModule} instantiates this class in this bundle, once per login, and passes the realm's
 * options, which carry the throttle under {@link #THROTTLE_OPTION}.
 */
public class ThrottlingLoginModule implements LoginModule {

    /** The option holding the {@link LoginThrottle}. */
    static final String THROTTLE_OPTION = "org.panacea.security.login.throttle";

    private enum State { IDLE, CHECKING, REFUSED, DONE }

    private LoginThrottle throttle;
    private Subject subject;
    private CallbackHandler handler;
    private String user;
    private String address;
    private boolean passwordLogin;
    private State state = State.IDLE;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        this.throttle = options.get(THROTTLE_OPTION) instanceof LoginThrottle t ? t : null;
    }

    @Override
    public boolean login() throws LoginException {
        state = State.IDLE;
        if (throttle == null || handler == null) {
            return false;
        }
        NameCallback name = new NameCallback("User name: ");
        try {
            handler.handle(new Callback[] { name });
        } catch (IOException | UnsupportedCallbackException e) {
            return false; // the modules after this one will refuse it for the same reason
        }
        user = name.getName();
        if (user == null) {
            return false;
        }
        address = clientAddress(subject);
        passwordLogin = offersPassword(handler);
        Optional<java.time.Duration> wait = throttle.refusal(user, address);
        if (wait.isPresent()) {
            state = State.REFUSED;
            throw new ThrottledLoginException(wait.get());
        }
        state = State.CHECKING;
        return false;
    }

    @Override
    public boolean commit() {
        if (state == State.CHECKING) {
            throttle.succeeded(user, address);
        }
        state = State.DONE;
        return false;
    }

    @Override
    public boolean abort() {
        if (state == State.CHECKING && passwordLogin) {
            throttle.failed(user, address);
        }
        state = State.DONE;
        return false;
    }

    @Override
    public boolean logout() {
        return false;
    }

    private static String clientAddress(Subject subject) {
        if (subject == null) {
            return "unknown";
        }
        return subject.getPrincipals(ClientPrincipal.class).stream().map(ClientPrincipal::getAddress).findFirst()
                .orElse("unknown");
    }

    /** Whether the caller answers a password question: a password login, not a public-key one. */
    private static boolean offersPassword(CallbackHandler handler) {
        PasswordCallback password = new PasswordCallback("Password: ", false);
        try {
            handler.handle(new Callback[] { password });
            return true;
        } catch (IOException | UnsupportedCallbackException e) {
            return false;
        } finally {
            password.clearPassword();
        }
    }
}
