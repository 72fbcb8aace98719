package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/**
 * The console's least privilege, proven by attack. Every staff role other than admin logs in to the real ssh console
 * and tries what used to work for any console user (read the key store passphrase, append an administrator to
 * etc/users.properties, browse files, read the configuration, add feature repositories, dump the JVM, manage
 * instances, logs and the system): each is refused and etc/ is unchanged. Then every command the running shell has
 * is tried by every such role: exactly that role's allow-list is visible and runs, everything else is refused. Each
 * refusal is in the audit trail, named, without its arguments; admin keeps the whole console.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleAccessIT {

    private static final List<String> STAFF = List.of("clinician", "nurse", "researcher", "auditor");

    /** What every staff role keeps: help, leaving, and what the shell's start scripts run at each login. */
    private static final Set<String> SESSION_COMMANDS = Set.of("*:help", "*:exit", "shell:logout", "shell:clear",
            "shell:if", "shell:setopt", "shell:unsetopt", "shell:keymap", "shell:complete");

    /**
     * The allow-list each staff role must get, beyond {@link #SESSION_COMMANDS}: its Panacea commands as the access
     * policy has them, and the subshells of those scopes.
     */
    private static final Map<String, Predicate<String>> ALLOWED = Map.of(
            "clinician", scopes("patient", "imaging", "model", "analysis"),
            "nurse", scopes("model").or(Set.of("patient:list", "patient:show", "*:patient")::contains),
            "researcher", scopes("analysis"),
            // audit:restore-epoch records a restore of the database: the administrator's, not the auditor's
            "auditor", scopes("audit", "alert").and(command -> !command.equals("audit:restore-epoch")));

    /** An attack from the issue, and the check Karaf refuses it under (scope:name, as its refusal names it). */
    private record Attack(String line, String refusedAs) {
    }

    private static final List<Attack> ATTACKS = List.of(
            new Attack("cat etc/panacea-keystore.passphrase", "shell:cat"),
            new Attack("echo 'mallory = mallory,admin,manager,viewer,systembundles,ssh' >> etc/users.properties",
                    "shell:.redirect"),
            new Attack("echo 'mallory = mallory,admin' > etc/users.properties", "shell:.redirect"),
            new Attack("shell:ls etc", "shell:ls"),
            new Attack("ls etc", "service:list"),
            new Attack("grep -r passphrase etc", "shell:grep"),
            new Attack("tac etc/users.properties", "shell:tac"),
            new Attack("head etc/users.properties", "shell:head"),
            new Attack("tail etc/users.properties", "shell:tail"),
            new Attack("less etc/users.properties", "shell:less"),
            new Attack("more etc/users.properties", "shell:less"),
            new Attack("source etc/shell.init.script", "shell:source"),
            new Attack("shell:exec cat etc/users.properties", "shell:exec"),
            new Attack("new java.io.File etc/users.properties", "shell:new"),
            new Attack("shell:java java.lang.Object", "shell:java"),
            new Attack("$.context bundles", "shell:.invoke"),
            new Attack("(($.context getBundle 0) getBundleContext)", "shell:.invoke"),
            new Attack("shell:history", "shell:history"),
            new Attack("config:list", "config:list"),
            new Attack("config:edit org.apache.karaf.command.acl.shell", "config:edit"),
            new Attack("cm:getConfiguration org.panacea.security", "cm:getConfiguration"),
            new Attack("feature:repo-add -i mvn:org.example/none/1/xml/features", "feature:repo-add"),
            new Attack("feature:install --help", "feature:install"),
            new Attack("bundle:install --help", "bundle:install"),
            new Attack("kar:install --help", "kar:install"),
            new Attack("dev:dump-create", "dev:dump-create"),
            new Attack("instance:list", "instance:list"),
            new Attack("instance:create --help", "instance:create"),
            new Attack("log:display", "log:display"),
            new Attack("log:set TRACE", "log:set"),
            new Attack("system:property karaf.secured.command.compulsory.roles", "system:property"),
            new Attack("system:shutdown --help", "system:shutdown"),
            new Attack("jaas:realm-manage --realm karaf", "jaas:realm-manage"),
            new Attack("jaas:sudo --help", "jaas:sudo"));

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AuditTrail audit;

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(); // with a probe timeout long enough for a busy machine
    }

    @Test
    public void everyAttackFromTheIssueIsRefusedToEveryStaffRoleAndLeavesEtcUnchanged() throws Exception {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        String passphrase = Files.readString(etc.resolve("panacea-keystore.passphrase")).trim();
        // The first ssh login makes the server's host key in etc/: log in once before taking stock.
        assertTrue(ssh("admin", "shell:echo ready").contains("ready"));
        Map<String, String> before = hashes(etc);
        Instant start = Instant.now().minusSeconds(1);

        // The roles attack at the same time, as four staff members could.
        List<Future<List<String>>> attacks = new ArrayList<>();
        ExecutorService staff = Executors.newFixedThreadPool(STAFF.size());
        try {
            for (String user : STAFF) {
                attacks.add(staff.submit(() -> attack(user, passphrase)));
            }
            List<String> succeeded = new ArrayList<>();
            for (Future<List<String>> attack : attacks) {
                succeeded.addAll(attack.get(5, TimeUnit.MINUTES));
            }
            assertEquals("attacks that were not refused", List.of(), succeeded);
        } finally {
            staff.shutdownNow();
        }
        // And literally as the issue has it: the distribution's own client, reading the commands from stdin.
        for (String line : List.of("cat etc/panacea-keystore.passphrase",
                "echo 'mallory = mallory,admin,manager,viewer,systembundles,ssh' >> etc/users.properties")) {
            String output = binClient("nurse", line);
            assertTrue(output, output.contains("Command not found: shell:"));
            assertFalse(output, output.contains(passphrase));
        }

        assertEquals("etc/ changed under the attacks", before, hashes(etc));
        assertFalse(Files.readString(etc.resolve("users.properties")).contains("mallory"));
        // every refusal is in the audit trail, by the name Karaf refused it under
        Set<String> refusedAs = ATTACKS.stream().map(Attack::refusedAs).collect(Collectors.toCollection(TreeSet::new));
        for (String user : STAFF) {
            Set<String> audited = refusals(user, start).stream().map(AuditEvent::resourceId)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(user + "'s refusals in the audit trail", refusedAs, audited);
        }
    }

    /** Runs every attack as {@code user} over ssh; returns those not refused, with what the user saw. */
    private List<String> attack(String user, String passphrase) throws IOException {
        List<String> succeeded = new ArrayList<>();
        for (Attack attack : ATTACKS) {
            String output = ssh(user, attack.line());
            if (!output.contains("Command not found: " + attack.refusedAs()) || output.contains(passphrase)
                    || output.contains("{CRYPT}")) {
                succeeded.add(user + " ran `" + attack.line() + "` and saw:\n" + output);
            }
        }
        return succeeded;
    }

    @Test
    public void everyStaffRoleSeesAndRunsExactlyItsAllowListAndIsRefusedEveryOtherCommand() throws Exception {
        Set<String> commands = everyCommand();
        assertTrue("the shell was not enumerated: " + commands, commands.size() > 150
                && commands.containsAll(List.of("bundle:list", "shell:cat", "patient:list", "audit:verify", "*:help")));
        for (String user : STAFF) {
            Subject subject = login(user);
            Predicate<String> allowed = ALLOWED.get(user).or(SESSION_COMMANDS::contains);
            Set<String> expected = commands.stream().filter(allowed).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(user + " sees its allow-list", expected, visible(subject));

            List<String> wrong = new ArrayList<>();
            for (String command : commands) {
                // --help: should the allow-list ever let a command through, it prints its help and does nothing
                Exception failure = runInContainer(subject, command + " --help");
                boolean refused = isAclRefusal(failure, command);
                if (refused == allowed.test(command)) {
                    wrong.add(command + (refused ? " refused: " : " ran: ") + failure);
                }
            }
            assertEquals(user + ": commands on the wrong side of its allow-list", List.of(), wrong);
        }
    }

    @Test
    public void everyCommandScopeHasAnAllowListFile() throws Exception {
        Set<String> scopes = everyCommand().stream().map(command -> command.substring(0, command.indexOf(':')))
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = new ArrayList<>();
        for (String scope : scopes) {
            // Karaf reads the rules of the global scope * from the file named star
            String pid = "org.apache.karaf.command.acl." + ("*".equals(scope) ? "star" : scope);
            if (configurationAdmin.listConfigurations("(service.pid=" + pid + ")") == null) {
                missing.add(pid);
            }
        }
        assertEquals("scopes without a console allow-list file in etc/ (only admin may run them)", List.of(),
                missing);
    }

    @Test
    public void aRefusedCommandIsAuditedByNameWithoutItsArguments() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        assertTrue(ssh("researcher", "config:list \"(service.pid=org.panacea.security)\"")
                .contains("Command not found: config:list"));
        assertTrue(ssh("researcher", "cat etc/panacea-keystore.passphrase").contains("Command not found: shell:cat"));
        assertTrue(ssh("researcher", "config:lsit").contains("Command not found: config:lsit"));

        // other tests of this class refuse commands to the researcher too (in-container, or over ssh just before):
        // look at this test's ssh refusals, by the commands it ran
        List<AuditEvent> refusals = Eventually.waitFor(() -> refusals("researcher", start).stream()
                .filter(refusal -> refusal.clientAddress().startsWith("ssh:"))
                .filter(refusal -> List.of("config:list", "shell:cat", "config:lsit").contains(refusal.resourceId()))
                .toList(), found -> found.stream().map(AuditEvent::resourceId).distinct().count() >= 2,
                Duration.ofSeconds(10));
        assertEquals(refusals.toString(), List.of("config:list", "shell:cat"),
                refusals.stream().map(AuditEvent::resourceId).distinct().sorted().toList());
        for (AuditEvent refusal : refusals) {
            assertEquals(refusal.toString(), "researcher", refusal.role());
            assertEquals(refusal.toString(), "ConsoleCommand", refusal.resourceType());
            assertTrue(refusal.toString(), refusal.clientAddress().startsWith("ssh:"));
            assertFalse("arguments stay out of the audit: " + refusal, refusal.toString().contains("passphrase")
                    || refusal.toString().contains("org.panacea.security"));
        }
    }

    @Test
    public void anInteractiveStaffLoginStartsCleanlyWithItsOwnHelp() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        String screen = sshTerminal("nurse", "help", "logout");

        assertFalse(screen, screen.contains("Error in initialization script"));
        assertTrue(screen, screen.contains("patient:list") && screen.contains("model:predict"));
        assertFalse(screen, screen.contains("bundle:list") || screen.contains("shell:cat"));
        assertEquals("the start scripts ran nothing the nurse may not run", List.of(), refusals("nurse", start));
    }

    @Test
    public void adminKeepsTheWholeConsole() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        String bundles = ssh("admin", "bundle:list");
        assertTrue(bundles, bundles.contains("Panacea :: Security") && bundles.contains("Active"));
        String configuration = ssh("admin", "config:list \"(service.pid=org.apache.karaf.shell)\"");
        assertTrue(configuration, configuration.contains("sshRole = ssh"));
        String file = ssh("admin", "cat etc/org.apache.karaf.command.acl.shell.cfg");
        assertTrue(file, file.contains(".redirect = admin"));
        assertTrue(ssh("admin", "feature:list -i").contains("panacea-core"));
        assertEquals(List.of(), refusals("admin", start));
    }

    private List<AuditEvent> refusals(String user, Instant since) {
        return audit.search(new AuditQuery(null, user, AuditAction.ACCESS_DENIED, since, null, 500)).stream()
                .map(AuditEntry::event).filter(event -> "ConsoleCommand".equals(event.resourceType())).toList();
    }

    private static Predicate<String> scopes(String... scopes) {
        Set<String> subshells = Stream.of(scopes).map(scope -> "*:" + scope).collect(Collectors.toSet());
        return command -> subshells.contains(command)
                || Stream.of(scopes).anyMatch(scope -> command.startsWith(scope + ":"));
    }

    /**
     * Every command of the running shell as scope:name, seen by a subject holding every role the rules name. Panacea's
     * commands register once their services are up, which can be after boot has finished: waits for one of each scope.
     */
    private Set<String> everyCommand() throws Exception {
        Subject everyRole = login("admin");
        for (String role : STAFF) {
            everyRole.getPrincipals().addAll(login(role).getPrincipals(RolePrincipal.class));
        }
        List<String> panacea = List.of("patient:list", "imaging:run", "model:predict", "analysis:survival",
                "audit:verify", "key:list", "plugin:list", "platform:backup", "setting:list");
        Set<String> commands = Eventually.waitFor(() -> visible(everyRole),
                found -> found.containsAll(panacea), Duration.ofSeconds(60));
        assertTrue("Panacea's commands are missing: " + commands, commands.containsAll(panacea));
        return commands;
    }

    /**
     * The commands {@code subject} is shown (what help and completion list). Karaf remembers what a thread may see
     * (per thread, not per user), so this asks from a new thread, as each ssh session has.
     */
    private Set<String> visible(Subject subject) throws Exception {
        CompletableFuture<List<Command>> commands = new CompletableFuture<>();
        new Thread(() -> {
            try {
                commands.complete(Subject.doAs(subject, (PrivilegedExceptionAction<List<Command>>) () ->
                        sessionFactory.getRegistry().getCommands()));
            } catch (PrivilegedActionException | RuntimeException e) {
                commands.completeExceptionally(e);
            }
        }, "console-access-visible").start();
        return commands.get(30, TimeUnit.SECONDS).stream().map(command -> command.getScope() + ":" + command.getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether {@code failure} is Karaf's refusal of {@code command} by its command ACLs. */
    private static boolean isAclRefusal(Exception failure, String command) {
        if (failure == null) {
            return false;
        }
        return "CommandNotFoundException".equals(failure.getClass().getSimpleName())
                && String.valueOf(failure.getMessage()).endsWith(command)
                || failure instanceof SecurityException;
    }

    /** Runs {@code line} in a console session of {@code subject}, in the container; returns how it failed, or null. */
    private Exception runInContainer(Subject subject, String line) {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), discard, discard);
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(line));
            return null;
        } catch (PrivilegedActionException e) {
            return e.getException();
        } catch (RuntimeException e) {
            return e;
        } finally {
            session.close();
        }
    }

    private static Subject login(String user) throws Exception {
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
        return subject;
    }

    private int sshPort() throws IOException {
        return Integer.parseInt(String.valueOf(
                configurationAdmin.getConfiguration("org.apache.karaf.shell", null).getProperties().get("sshPort")));
    }

    /**
     * Runs {@code line} as {@code user} over the ssh console, the way {@code bin/client -b} sends it (an exec channel),
     * and returns what the user saw, colours removed.
     */
    private String ssh(String user, String line) throws IOException {
        SshClient ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // this test's own server
        ssh.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (ssh; ClientSession session = ssh.connect(user, "127.0.0.1", sshPort()).verify(30, TimeUnit.SECONDS)
                .getSession()) {
            session.addPasswordIdentity(user);
            session.auth().verify(30, TimeUnit.SECONDS);
            try (ChannelExec channel = session.createExecChannel(line + "\n")) {
                channel.setIn(new ByteArrayInputStream(new byte[0]));
                channel.setOut(output);
                channel.setErr(output);
                channel.open().verify(30, TimeUnit.SECONDS);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(60));
            }
        }
        return plain(output.toString(StandardCharsets.UTF_8));
    }

    /**
     * Logs {@code user} in to an interactive console (a shell channel with a terminal, as {@code bin/client} without
     * {@code -b} or an ssh client opens), types {@code lines} one by one, and returns the screen, colours removed.
     */
    private String sshTerminal(String user, String... lines) throws Exception {
        SshClient ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // this test's own server
        ssh.start();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PipedOutputStream keyboard = new PipedOutputStream();
        try (ssh; ClientSession session = ssh.connect(user, "127.0.0.1", sshPort()).verify(30, TimeUnit.SECONDS)
                .getSession()) {
            session.addPasswordIdentity(user);
            session.auth().verify(30, TimeUnit.SECONDS);
            try (ChannelShell channel = session.createShellChannel()) {
                channel.setPtyType("xterm-256color");
                channel.setIn(new PipedInputStream(keyboard));
                channel.setOut(screen);
                channel.setErr(screen);
                channel.open().verify(30, TimeUnit.SECONDS);
                for (String line : lines) {
                    // the prompt shows the user's name once the start scripts have run
                    Eventually.waitFor(() -> plain(screen.toString(StandardCharsets.UTF_8)),
                            text -> text.contains(user + "@"), Duration.ofSeconds(30));
                    Thread.sleep(300);
                    keyboard.write((line + "\r").getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                }
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(30));
            }
        } finally {
            keyboard.close();
        }
        return plain(screen.toString(StandardCharsets.UTF_8));
    }

    /** Runs the distribution's own {@code bin/client -b} as {@code user}, with {@code line} on its standard input. */
    private String binClient(String user, String line) throws Exception {
        Path home = Path.of(System.getProperty("karaf.home"));
        ProcessBuilder builder = new ProcessBuilder("sh", home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort()), "-h", "127.0.0.1", "-u", user, "-p", user, "-b")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        byte[] output = client.getInputStream().readAllBytes();
        assertTrue("bin/client did not finish", client.waitFor(60, TimeUnit.SECONDS));
        return plain(new String(output, StandardCharsets.UTF_8));
    }

    private static String plain(String console) {
        return console.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
    }

    /** SHA-256 of every file under {@code folder}, by relative path. */
    private static Map<String, String> hashes(Path folder) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                hashes.put(folder.relativize(file).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        assertNotNull(hashes.get("users.properties"));
        return hashes;
    }
}
