package org.panacea.dicom.command;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.panacea.api.security.Operation;
import org.panacea.dicom.read.DicomFormatException;
import org.panacea.dicom.read.DicomLimitException;

/**
 * {@code imaging:import PATH}: stores DICOM files from the import folder (one file, or every file under one of its
 * folders) with progress and a summary.
 * <p>
 * The console user's permission to store images is checked first, before the path is even resolved; then the path
 * is resolved, and every file opened, through {@link ImportFolder} only, which refuses anything outside the import
 * folder or behind a symbolic link. A refused file is named with the reason; the command never prints what a file
 * holds beyond the reader's short description of what is wrong with it.
 */
@Command(scope = "imaging", name = "import", description = "Imports DICOM Part 10 files from the import folder "
        + "(data/import): one file, or every file under a folder of it")
@Service
public class ImportCommand implements Action {

    /** Longest refusal reason printed for a file. */
    static final int MAX_REASON = 300;

    @Reference
    ImageArchive archive;

    @Reference
    CallerAuthentication authentication;

    @Reference
    AccessPolicy policy;

    @Reference
    ImportFolder importFolder;

    @Reference
    Session session;

    @Argument(index = 0, name = "path", description = "A DICOM file or a folder of them, relative to the import "
            + "folder", required = true)
    String path;

    @Override
    public Object execute() throws IOException {
        PrintStream console = session.getConsole();
        Caller caller = authentication.consoleUser();
        try {
            policy.require(caller, Operation.CREATE, "ImagingStudy");
        } catch (AccessDeniedException e) {
            console.println("refused: " + e.getMessage());
            return null;
        }
        Path source;
        try {
            source = importFolder.resolve(path);
        } catch (FileRefusedException e) {
            console.println("refused: " + e.getMessage());
            return null;
        }
        Path folder = importFolder.folder();
        List<Path> files;
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            // Links are listed (and then refused by the import folder), never followed.
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(file -> !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
        } else {
            files = List.of(source);
        }
        int stored = 0;
        long bytes = 0;
        int index = 0;
        for (Path file : files) {
            index++;
            String name = folder.relativize(file).toString();
            String prefix = "[" + index + "/" + files.size() + "] " + name + ": ";
            try (Counting in = new Counting(importFolder.open(name))) {
                ArchivedInstance instance = archive.store(caller, in);
                stored++;
                bytes += in.count;
                console.println(prefix + instance.modality() + " " + instance.width() + "x" + instance.height() + ", "
                        + instance.frames() + " frame(s) -> ImagingStudy/" + instance.imagingStudyId());
            } catch (FileRefusedException e) {
                console.println(prefix + "refused: " + e.getMessage());
            } catch (InvalidImageException e) {
                console.println(prefix + "refused, nothing stored: " + reason(e));
            } catch (AccessDeniedException e) {
                console.println(prefix + "refused, nothing stored: " + e.getMessage());
            } catch (IOException | java.io.UncheckedIOException e) {
                // The exception's own text is left out: it adds nothing the user needs and is not ours to vouch for.
                console.println(prefix + "could not be read, nothing stored");
            }
            console.flush();
        }
        console.println(stored + " of " + files.size() + " files stored (" + bytes / 1024 + " KiB)");
        return null;
    }

    /**
     * What is wrong with a file, told without its content: the reader's description (problem, element, offset)
     * with any value it would quote left out, cut short and without control characters.
     */
    static String reason(InvalidImageException refusal) {
        String text = refusal.getCause() instanceof DicomFormatException format
                && !(format instanceof DicomLimitException) ? format.messageWithoutValues() : refusal.getMessage();
        text = text == null ? "not a DICOM file Panacea reads" : text;
        text = text.replaceAll("\\p{Cntrl}", "?");
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }

    /** Counts the bytes read, so the summary needs no second look at the file. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
