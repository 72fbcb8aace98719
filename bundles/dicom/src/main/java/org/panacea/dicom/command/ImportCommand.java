package org.panacea.dicom.command;

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
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;

/** {@code imaging:import FILE|DIR}: stores DICOM files (a folder's, recursively) with progress and a summary. */
@Command(scope = "imaging", name = "import", description = "Imports DICOM Part 10 files: one file, or every file "
        + "under a folder")
@Service
public class ImportCommand implements Action {

    @Reference
    ImageArchive archive;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Argument(index = 0, name = "path", description = "A DICOM file or a folder of them", required = true)
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
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Caller caller = authentication.consoleUser();
        int stored = 0;
        long bytes = 0;
        int index = 0;
        for (Path file : files) {
            index++;
            String prefix = "[" + index + "/" + files.size() + "] " + source.relativize(file) + ": ";
            if (source.equals(file)) {
                prefix = "[1/1] " + file.getFileName() + ": ";
            }
            try (InputStream in = Files.newInputStream(file)) {
                ArchivedInstance instance = archive.store(caller, in);
                stored++;
                bytes += Files.size(file);
                console.println(prefix + instance.modality() + " " + instance.width() + "x" + instance.height() + ", "
                        + instance.frames() + " frame(s) -> ImagingStudy/" + instance.imagingStudyId());
            } catch (InvalidImageException e) {
                console.println(prefix + "refused, nothing stored: " + e.getMessage());
            }
            console.flush();
        }
        console.println(stored + " of " + files.size() + " files stored (" + bytes / 1024 + " KiB)");
        return null;
    }
}
