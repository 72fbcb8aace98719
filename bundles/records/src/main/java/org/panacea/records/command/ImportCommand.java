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
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code patient:import FILE|DIR}: imports FHIR JSON files (a transaction or collection Bundle, or one resource);
 * a folder's {@code *.json} files one by one, each all-or-nothing, with progress and a summary.
 */
@Command(scope = "patient", name = "import", description = "Imports FHIR JSON bundles or resources from a file or "
        + "every *.json file of a folder")
@Service
public class ImportCommand implements Action {

    @Reference
    JpaPatientRecords records;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Argument(index = 0, name = "path", description = "A .json file or a folder of them", required = true)
    @Completion(FileCompleter.class)
    String path;

    @Override
    public Object execute() throws IOException {
        PrintStream console = session.getConsole();
        Path source = Path.of(path);
        if (!Files.exists(source)) {
            console.println(path + ": no such file or folder");
            return null;
        }
        List<Path> files;
        if (Files.isDirectory(source)) {
            try (Stream<Path> listing = Files.list(source)) {
                files = listing.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
            }
        } else {
            files = List.of(source);
        }
        Caller caller = authentication.consoleUser();
        int done = 0;
        int failed = 0;
        int resources = 0;
        for (Path file : files) {
            done++;
            String prefix = "[" + done + "/" + files.size() + "] " + file.getFileName() + ": ";
            try (InputStream in = Files.newInputStream(file)) {
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
            } catch (InvalidResourceException e) {
                failed++;
                console.println(prefix + "refused, nothing stored: " + e.getMessage());
            } catch (RuntimeException e) {
                failed++;
                console.println(prefix + "failed, nothing stored: " + e.getMessage());
            }
            console.flush();
        }
        console.println(files.size() - failed + " of " + files.size() + " files imported (" + resources
                + " resources)" + (failed > 0 ? "; " + failed + " refused" : ""));
        return null;
    }
}
