package org.panacea.security.internal;

import java.lang.reflect.Method;
import java.security.AccessController;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import javax.security.auth.Subject;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Registry;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every console command that the console allow-list (Karaf's command ACLs,
 * {@code etc/org.apache.karaf.command.acl.<scope>.cfg}) refuses to the audit trail: {@link AuditAction#ACCESS_DENIED},
 * the shell user as actor, and the command's name, never its arguments (they may name a patient).
 * <p>
 * Karaf's shell adds every {@link CommandSessionListener} service to its command processor; Gogo calls it after each
 * line a session executes (typed, sent over ssh, or run from a start script) on the session's thread, so under the
 * user's {@code Subject}. Karaf refuses a command in one of two ways, and neither is visible anywhere else:
 * <ul>
 * <li>A command the user's roles may not see fails with Gogo's {@code CommandNotFoundException} naming
 * {@code scope:name}. That is every refusal of a scope with an ACL file, including redirection and Java method calls,
 * which Karaf checks as {@code shell:.redirect} and {@code shell:.invoke}. A command that does not exist at all
 * fails the same way: it is a typo, not a refusal, and is not recorded.</li>
 * <li>A command of a scope without an ACL file is refused by {@code karaf.secured.command.compulsory.roles} with a
 * {@code SecurityException} that does not say which command. The command words of the line, those that name a
 * registered command, are recorded then.</li>
 * </ul>
 * A command of a pipeline that is not its last stage fails into the session's {@code pipe-exception}, which is read
 * too. Refusals by the access policy (a command the allow-list lets through) are audited by the policy itself.
 */
@Component(service = CommandSessionListener.class)
public class ConsoleCommandAuditor implements CommandSessionListener {

    /** What an audit entry of a refused console command names as resource type. */
    static final String RESOURCE_TYPE = "ConsoleCommand";

    /** The message of Karaf's SecuredSessionFactoryImpl when roles, not visibility, refuse a command. */
    static final String INSUFFICIENT_CREDENTIALS = "Insufficient credentials.";

    /** Where Gogo keeps the failures of the pipeline stages before the last one (Closure.PIPE_EXCEPTION). */
    static final String PIPE_EXCEPTION = "pipe-exception";

    /** Actor of a refusal in a session nobody logged in to (a session opened by code inside the platform). */
    static final String NO_USER = "system:console";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCommandAuditor.class);

    /** Refusals already recorded: a failure can reach several listener calls (nested scripts, pipe-exception). */
    private final Set<Throwable> recorded = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private final AuditTrail trail;
    private final CallerAuthentication authentication;
    private final SessionFactory sessions;

    @Activate
    public ConsoleCommandAuditor(@Reference AuditTrail trail, @Reference CallerAuthentication authentication,
            @Reference SessionFactory sessions) {
        this.trail = trail;
        this.authentication = authentication;
        this.sessions = sessions;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        // nothing to do before: Karaf decides while the line runs
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        audit(session, command, exception);
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        audit(session, command, null);
    }

    private void audit(CommandSession session, CharSequence line, Exception failure) {
        try {
            Set<String> refused = new LinkedHashSet<>();
            collect(failure, line, refused, Collections.newSetFromMap(new IdentityHashMap<>()));
            if (session.get(PIPE_EXCEPTION) instanceof Throwable stages) {
                collect(stages, line, refused, Collections.newSetFromMap(new IdentityHashMap<>()));
            }
            if (refused.isEmpty()) {
                return;
            }
            Caller caller = user(session);
            for (String command : refused) {
                trail.record(new AuditEvent(caller == null ? NO_USER : caller.name(),
                        caller == null ? "" : caller.primaryRole(), AuditAction.ACCESS_DENIED, RESOURCE_TYPE, command,
                        "", AuditOutcome.DENIED, caller == null ? "console" : caller.clientAddress(),
                        "console command refused by the console allow-list: " + command));
            }
        } catch (RuntimeException e) {
            // The command is refused whatever happens here; a listener that threw would only garble the console.
            LOG.error("A console command refused by the console allow-list could not be audited: {}", e.toString());
        }
    }

    /** Adds the names of the commands refused in {@code failure}, its causes and suppressed failures. */
    private void collect(Throwable failure, CharSequence line, Set<String> refused, Set<Throwable> seen) {
        if (failure == null || !seen.add(failure) || seen.size() > 64) {
            return;
        }
        String name = failure.getClass().getSimpleName();
        // Gogo's runtime is private to Karaf's shell bundle: recognised by name, as Karaf's own ShellUtil does.
        if ("CommandNotFoundException".equals(name)) {
            String command = notFound(failure);
            if (command != null && isRegistered(command) && recorded.add(failure)) {
                refused.add(command);
            }
        } else if (failure instanceof SecurityException && INSUFFICIENT_CREDENTIALS.equals(failure.getMessage())
                && recorded.add(failure)) {
            List<String> named = registeredCommandWords(line);
            refused.add(named.isEmpty() ? "(unnamed)" : String.join(" ", named));
        }
        collect(failure.getCause(), line, refused, seen);
        for (Throwable suppressed : failure.getSuppressed()) {
            collect(suppressed, line, refused, seen);
        }
    }

    private static String notFound(Throwable failure) {
        try {
            Method getCommand = failure.getClass().getMethod("getCommand");
            return String.valueOf(getCommand.invoke(failure));
        } catch (ReflectiveOperationException e) {
            String message = String.valueOf(failure.getMessage());
            int colon = message.indexOf(": ");
            return colon < 0 ? null : message.substring(colon + 2);
        }
    }

    /**
     * {@code true} when {@code command} ({@code scope:name}) exists, so that its "not found" was a refusal. Karaf names
     * the redirection and method-call checks {@code shell:.redirect} and {@code shell:.invoke}. The registry's
     * {@code getCommand} does not filter by the user's roles (its {@code getCommands} does).
     */
    private boolean isRegistered(String command) {
        int colon = command.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        String scope = command.substring(0, colon);
        String name = command.substring(colon + 1);
        if ("shell".equals(scope) && (".redirect".equals(name) || ".invoke".equals(name))) {
            return true;
        }
        return sessions.getRegistry().getCommand(scope, name) != null;
    }

    /**
     * The words in command position of {@code line} that name a registered command, as {@code scope:name}. Only for a
     * refusal Karaf does not name: such a command is in a scope without an ACL file, so the user's registry view lists
     * it. Arguments are never returned (a word is kept only when it resolves to a command).
     */
    private List<String> registeredCommandWords(CharSequence line) {
        Registry registry = sessions.getRegistry();
        List<Command> visible = null;
        List<String> named = new ArrayList<>();
        for (String word : commandWords(line)) {
            int colon = word.indexOf(':');
            if (colon > 0) {
                if (registry.getCommand(word.substring(0, colon), word.substring(colon + 1)) != null
                        && !named.contains(word)) {
                    named.add(word);
                }
                continue;
            }
            if (visible == null) {
                visible = registry.getCommands();
            }
            for (Command command : visible) {
                String full = command.getScope() + ":" + command.getName();
                if (command.getName().equals(word) && !named.contains(full)) {
                    named.add(full);
                }
            }
        }
        return named;
    }

    /**
     * The words of a Gogo line that stand where a command does: first of the line, and first after {@code ;},
     * {@code |}, a new line, an opening or closing bracket ({@code { ( [}) or a standalone {@code =}. Quoted text
     * is skipped. A rough reading of Gogo's grammar, good enough to name commands: callers keep only words that name
     * a registered command.
     */
    static List<String> commandWords(CharSequence line) {
        List<String> words = new ArrayList<>();
        boolean commandPosition = true;
        int i = 0;
        int length = line.length();
        while (i < length) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
                commandPosition = false;
            } else if (c == '\'' || c == '"') {
                int close = i + 1;
                while (close < length && line.charAt(close) != c) {
                    close += line.charAt(close) == '\\' ? 2 : 1;
                }
                i = close + 1;
                commandPosition = false;
            } else if (";|\n{}()[]".indexOf(c) >= 0) {
                commandPosition = true;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                int start = i;
                while (i < length && !Character.isWhitespace(line.charAt(i))
                        && ";|\n{}()[]'\"\\".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                String word = line.subSequence(start, i).toString();
                if ("=".equals(word)) {
                    commandPosition = true;
                } else {
                    if (commandPosition) {
                        words.add(word);
                    }
                    commandPosition = false;
                }
            }
        }
        return words;
    }

    /** The caller logged in to the session running the line, or {@code null} when nobody logged in to it. */
    @SuppressWarnings("removal") // Subject.getSubject(AccessController) is how Java 17 reads a doAs subject
    private Caller user(CommandSession session) {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null && session.get(Subject.class.getName()) instanceof Subject stored) {
            subject = stored; // Karaf's ssh commands also keep it in the session
        }
        if (subject == null) {
            return null;
        }
        String address = subject.getPrincipals(ClientPrincipal.class).stream()
                .map(client -> client.getMethod() + ":" + client.getAddress()).findFirst().orElse("console");
        return authentication.fromSubject(subject, address).orElse(null);
    }
}
