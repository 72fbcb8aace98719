package org.panacea.records.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.WriteAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code patient:import FILE|DIR}: imports FHIR JSON files (a transaction or collection Bundle, or one resource)
 * from the import folder ({@code data/import}); a folder's {@code *.json} files one by one, each all-or-nothing,
 * with progress and a summary.
 * <p>
 * The console user's permission is checked first (they must be allowed to write some resource type; each resource
 * is then decided on its own), and only then is the path resolved, and every file opened, through
 * {@link ImportFolder}, which refuses anything outside the folder or behind a symbolic link. What is printed about a
 * file never repeats its content: malformed JSON is described by line and column only.
 */
@Command(scope = "patient", name = "import", description = "Imports FHIR JSON bundles or resources from a file or "
        + "every *.json file of a folder in the import folder (data/import)")
@Service
public class ImportCommand implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(ImportCommand.class);

    @Reference
    JpaPatientRecords records;

    @Reference
    AccessPolicy policy;

    @Reference
    ImportFolder importFolder;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    // No file completion: it would list the server's file system, not the import folder.
    @Argument(index = 0, name = "path", description = "A .json file or a folder of them, relative to the import "
            + "folder (data/import)", required = true)
    String path;

    @Override
    public Object execute() throws IOException {
        PrintStream console = session.getConsole();
        Caller caller = authentication.consoleUser();
        try {
            WriteAccess.requireSomeWrite(policy, caller);
        } catch (AccessDeniedException e) {
            console.println("refused: " + e.getMessage());
            return null;
        }
        List<String> files;
        try {
            Path source = importFolder.resolve(path);
            files = Files.isDirectory(source) ? jsonFilesIn(source) : List.of(path);
        } catch (FileRefusedException e) {
            console.println(e.getMessage());
            return null;
        }
        if (files.isEmpty()) {
            console.println(path + ": no *.json file in this folder");
            return null;
        }
        int done = 0;
        int failed = 0;
        int resources = 0;
        for (String file : files) {
            done++;
            String prefix = "[" + done + "/" + files.size() + "] " + file + ": ";
            try (InputStream in = importFolder.open(file)) {
                ObjectNode json = FhirJson.parseObject(in);
                if ("Bundle".equals(json.path("resourceType").asText())) {
                    BundleOutcome outcome = records.importBundle(caller, json);
                    resources += outcome.stored().size() + outcome.createdByCondition().size();
                    console.println(prefix + outcome.stored().size() + " entries stored, "
                            + outcome.keptOpaque().size() + " of them kept opaque, "
                            + outcome.createdByCondition().size() + " created for conditional references");
                } else {
                    StoredResource stored = records.create(caller, json);
                    resources++;
                    console.println(prefix + stored.resourceType() + "/" + stored.id() + " stored");
                }
            } catch (FileRefusedException e) {
                failed++;
                console.println(prefix + "refused: " + e.getMessage());
            } catch (InvalidResourceException | AccessDeniedException | VersionConflictException e) {
                // Malformed JSON is described by place only; validation issues come after the type was allowed.
                failed++;
                console.println(prefix + "refused, nothing stored: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                failed++;
                LOG.warn("patient:import of {} from the import folder failed", file, e);
                console.println(prefix + "failed, nothing stored (" + e.getClass().getSimpleName()
                        + "; the server log has the details)");
            }
            console.flush();
        }
        console.println(files.size() - failed + " of " + files.size() + " files imported (" + resources
                + " resources)" + (failed > 0 ? "; " + failed + " refused" : ""));
        return null;
    }

    /** The folder's {@code *.json} files, as paths relative to the import folder, to be opened through it. */
    private List<String> jsonFilesIn(Path folder) throws IOException {
        Path root = importFolder.folder();
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
                    .map(file -> root.relativize(file).toString()).toList();
        }
    }
}
