package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;

import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.service.guard.tools.ACLConfigurationParser;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Parser;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.impl.console.osgi.secured.SecuredSessionFactoryImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationListener;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * Runs console lines through Karaf's own secured session factory (the class the distribution uses, with its ACL
 * parser and Gogo), configured with a small allow-list, as users logged in with a role, and checks what the auditor
 * writes. So the refusals are Karaf's real ones, raised the way the distribution raises them.
 */
class ConsoleCommandAuditorTest {

    /** A small allow-list in the shape of the distribution's: per scope, command (or wildcard) to roles. */
    private static final Map<String, Map<String, String>> ALLOW_LIST = Map.of(
            // echo is allowed here only so that the redirection itself is what gets refused
            "shell", Map.of("echo", "admin, nurse", ".redirect", "admin", ".invoke", "admin", "*", "admin"),
            "bundle", Map.of("*", "admin"),
            "patient", Map.of("list", "clinician, nurse", "*", "clinician"));

    private static String compulsoryRolesBefore;
    /** Gogo's per-thread streams; it replaces System.out and System.err once per JVM. */
    private static ThreadIOImpl threadIO;

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private SecuredSessionFactoryImpl factory;

    @TempDir
    Path folder;

    /**
     * Karaf reads {@code karaf.secured.command.compulsory.roles} once, when its ACL parser class loads; the
     * distribution sets it in etc/system.properties before that. Here it is set on the parser directly.
     */
    @BeforeAll
    static void commandsWithoutRulesNeedAdmin() throws Exception {
        Field roles = ACLConfigurationParser.class.getDeclaredField("compulsoryRoles");
        roles.setAccessible(true);
        compulsoryRolesBefore = (String) roles.get(null);
        roles.set(null, "admin");
        threadIO = new ThreadIOImpl();
        threadIO.start();
    }

    @AfterAll
    static void restoreCompulsoryRoles() throws Exception {
        Field roles = ACLConfigurationParser.class.getDeclaredField("compulsoryRoles");
        roles.setAccessible(true);
        roles.set(null, compulsoryRolesBefore);
        threadIO.stop();
    }

    @BeforeEach
    void karafShell() throws Exception {
        factory = new SecuredSessionFactoryImpl(bundleContextWith(ALLOW_LIST), threadIO);
        factory.register(new TestCommand("bundle", "list"));
        factory.register(new TestCommand("patient", "list"));
        factory.register(new TestCommand("patient", "show"));
        // a scope without an ACL file: only karaf.secured.command.compulsory.roles guards it
        factory.register(new TestCommand("report", "export"));
        // as Karaf's shell does with every CommandSessionListener service
        factory.getCommandProcessor().addListener(
                new ConsoleCommandAuditor(trail, new JaasCallerAuthentication(new CallerSeals()), factory));
    }

    @AfterEach
    void stopShell() {
        factory.stop();
    }

    @Test
    void aCommandOutsideTheRolesAllowListIsRefusedAndAuditedByName() throws Exception {
        String output = run(user("nurse", "nurse"), "bundle:list");

        assertTrue(output.contains("bundle:list") && !output.contains("ran bundle:list"), output);
        AuditEvent event = single();
        assertEquals("nurse", event.actor());
        assertEquals("nurse", event.role());
        assertEquals(AuditAction.ACCESS_DENIED, event.action());
        assertEquals(AuditOutcome.DENIED, event.outcome());
        assertEquals(ConsoleCommandAuditor.RESOURCE_TYPE, event.resourceType());
        assertEquals("bundle:list", event.resourceId());
        assertEquals("ssh:127.0.0.1:50022", event.clientAddress());
    }

    @Test
    void readingAFileIsRefusedAndItsNameIsNotRecorded() throws Exception {
        Path secret = Files.writeString(folder.resolve("Smith-Mary.passphrase"), "s3cret-passphrase");

        String output = run(user("nurse", "nurse"), "cat " + secret);

        assertFalse(output.contains("s3cret-passphrase"), output);
        AuditEvent event = single();
        assertEquals("shell:cat", event.resourceId());
        assertFalse(event.toString().contains("Smith"), "the argument stays out of the audit: " + event);
    }

    @Test
    void writingAFileThroughRedirectionIsRefusedAndAudited() throws Exception {
        Path users = folder.resolve("users.properties");

        run(user("nurse", "nurse"), "echo 'mallory = mallory,admin' >> " + users);

        assertFalse(Files.exists(users), "the redirection wrote the file");
        assertEquals("shell:.redirect", single().resourceId());
    }

    @Test
    void callingAJavaMethodIsRefusedAndAudited() throws Exception {
        run(user("nurse", "nurse"), "'a' toUpperCase");

        assertEquals("shell:.invoke", single().resourceId());
    }

    @Test
    void aCommandOfAScopeWithoutAnAclFileNeedsAdminAndIsAuditedByNameWithoutItsArguments() throws Exception {
        String output = run(user("clinician", "clinician"), "report:export Smith");

        assertFalse(output.contains("ran report:export"), output);
        AuditEvent event = single();
        assertEquals("report:export", event.resourceId());
        assertFalse(event.toString().contains("Smith"), event.toString());
        // and typed without its scope, as most users do
        trail.clear();
        run(user("clinician", "clinician"), "export Smith");
        assertEquals("report:export", single().resourceId());
    }

    @Test
    void aRefusedStageOfAPipelineIsAuditedEvenWhenTheLastStageRuns() throws Exception {
        String output = run(user("nurse", "nurse"), "bundle:list | patient:list");

        assertTrue(output.contains("ran patient:list"), output);
        assertEquals("bundle:list", single().resourceId());
    }

    @Test
    void allowedCommandsAndTyposLeaveNoRefusal() throws Exception {
        assertTrue(run(user("nurse", "nurse"), "patient:list").contains("ran patient:list"));
        assertTrue(run(user("admin", "admin"), "bundle:list").contains("ran bundle:list"));
        assertTrue(run(user("admin", "admin"), "report:export").contains("ran report:export"));
        run(user("nurse", "nurse"), "bundel:lsit Smith");

        assertEquals(List.of(), trail.events(), "a command that does not exist is a typo, not a refusal");
    }

    @Test
    void aRefusalInASessionNobodyLoggedInToIsAuditedAsTheSystemConsole() throws Exception {
        String output = run(null, "bundle:list");

        assertFalse(output.contains("ran bundle:list"), output);
        AuditEvent event = single();
        assertEquals(ConsoleCommandAuditor.NO_USER, event.actor());
        assertEquals("bundle:list", event.resourceId());
    }

    @Test
    void eachRefusalIsRecordedOnce() throws Exception {
        run(user("nurse", "nurse"), "bundle:list | patient:list");
        run(user("nurse", "nurse"), "patient:list");

        assertEquals(1, trail.events().size(), trail.events().toString());
    }

    @Test
    void commandWordsAreTheWordsInCommandPosition() {
        assertEquals(List.of("x", "report:export", "grep", "each", "cat"), ConsoleCommandAuditor.commandWords(
                "x = report:export 'Smith; Mary' --to=file | grep \"a|b\"; each { cat Smith }"));
        assertEquals(List.of("export"), ConsoleCommandAuditor.commandWords("export Smith\\ Mary"));
    }

    private AuditEvent single() {
        assertEquals(1, trail.events().size(), trail.events().toString());
        return trail.events().get(0);
    }

    private static Subject user(String name, String role) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(name));
        subject.getPrincipals().add(new RolePrincipal(role));
        subject.getPrincipals().add(new ClientPrincipal("ssh", "127.0.0.1:50022"));
        return subject;
    }

    /** Runs {@code line} as the console does for a logged-in user, and returns what the user saw. */
    private String run(Subject subject, String line) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = factory.create(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            PrivilegedExceptionAction<Object> execute = () -> session.execute(line);
            Object result = subject == null ? execute.run() : Subject.doAs(subject, execute);
            print.println(result);
        } catch (PrivilegedActionException e) {
            print.println(e.getCause());
        } catch (Exception e) {
            print.println(e);
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What Karaf's session factory needs from the framework: Config Admin holding the allow-list's files. */
    @SuppressWarnings("unchecked")
    private static BundleContext bundleContextWith(Map<String, Map<String, String>> allowList) throws Exception {
        Configuration[] files = allowList.entrySet().stream().map(scope -> {
            String pid = "org.apache.karaf.command.acl." + scope.getKey();
            Dictionary<String, Object> properties = new Hashtable<>(scope.getValue());
            properties.put("service.pid", pid);
            Configuration file = mock(Configuration.class);
            when(file.getPid()).thenReturn(pid);
            when(file.getProcessedProperties(any())).thenReturn(properties);
            return file;
        }).toArray(Configuration[]::new);
        ConfigurationAdmin configurationAdmin = mock(ConfigurationAdmin.class);
        when(configurationAdmin.listConfigurations(anyString())).thenReturn(files);
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        BundleContext context = mock(BundleContext.class);
        when(context.registerService(eq(ConfigurationListener.class), any(ConfigurationListener.class), any()))
                .thenReturn(mock(ServiceRegistration.class));
        when(context.getServiceReferences(eq(ConfigurationAdmin.class.getName()), any()))
                .thenReturn(new ServiceReference<?>[] { reference });
        when(context.getService(reference)).thenReturn(configurationAdmin);
        return context;
    }

    /** A command that says it ran. */
    private record TestCommand(String scope, String name) implements Command {

        @Override
        public String getScope() {
            return scope;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return "test command " + scope + ":" + name;
        }

        @Override
        public Completer getCompleter(boolean scoped) {
            return null;
        }

        @Override
        public Parser getParser() {
            return null;
        }

        @Override
        public Object execute(Session session, List<Object> arguments) {
            return "ran " + scope + ":" + name;
        }
    }
}
