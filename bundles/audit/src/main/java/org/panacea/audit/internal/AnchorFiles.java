package org.panacea.audit.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads anchor files: every {@code <node>.anchors} file of a folder, one per node. A file is trusted line by line
 * up to its first problem (a malformed line, a gap in the numbering, a seal that does not verify); what follows it is
 * not used, since the seals chain. A last line without its line terminator is a write that a crash interrupted (or
 * one another node is making right now) and is left out, not reported. Stateless.
 */
final class AnchorFiles {

    static final String SUFFIX = ".anchors";

    private AnchorFiles() {
    }

    /**
     * One file as read.
     *
     * @param node        the node the file belongs to (its name without {@value #SUFFIX})
     * @param lines       its lines up to the first problem, in order
     * @param problem     the first problem, or {@code null}
     * @param problemLine the index of the line with the problem (0 when none)
     * @param problemSequence the entry the faulty line names, when it could be read; 0 otherwise
     * @param tornBytes   how many bytes of an unterminated last line were left out
     */
    record FileContent(String node, List<AnchorLine> lines, String problem, long problemLine, long problemSequence,
            long tornBytes) {
    }

    /**
     * Reads and checks every anchor file in {@code folder}, in the order of their names; an absent folder holds none.
     *
     * @throws IOException when the folder or a file cannot be read
     */
    static List<FileContent> readAll(Path folder, CheckpointSealer sealer) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            stream.forEach(file -> {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            });
        } catch (NoSuchFileException none) {
            return List.of();
        }
        files.sort(null);
        List<FileContent> contents = new ArrayList<>(files.size());
        for (Path file : files) {
            contents.add(read(file, nodeOf(file), sealer));
        }
        return contents;
    }

    /**
     * Reads one file. With a {@code sealer} every line's seal and numbering is checked and reading stops at the first
     * problem; without one (the writer resuming its own file) lines are only parsed and malformed ones skipped.
     *
     * @return the content; no lines when the file does not exist
     * @throws IOException when it cannot be read
     */
    static FileContent read(Path file, String node, CheckpointSealer sealer) throws IOException {
        List<AnchorLine> lines = new ArrayList<>();
        long lineNumber = 0;
        String previousSeal = "";
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            ByteArrayOutputStream current = new ByteArrayOutputStream(256);
            int b;
            while ((b = in.read()) != -1) {
                if (b != '\n') {
                    current.write(b);
                    continue;
                }
                lineNumber++;
                String text = current.toString(StandardCharsets.UTF_8);
                current.reset();
                AnchorLine line;
                try {
                    line = AnchorLine.parse(node, text);
                } catch (IllegalArgumentException malformed) {
                    if (sealer == null) {
                        continue;
                    }
                    return problem(node, lines, lineNumber, 0, "line " + lineNumber + " of " + file.getFileName()
                            + " is malformed (" + malformed.getMessage() + "): the anchor file was edited");
                }
                if (sealer != null) {
                    String problem = check(line, lineNumber, previousSeal, sealer, file);
                    if (problem != null) {
                        return problem(node, lines, lineNumber, line.sequence(), problem);
                    }
                }
                lines.add(line);
                previousSeal = line.seal();
            }
            return new FileContent(node, lines, null, 0, 0, current.size());
        } catch (NoSuchFileException none) {
            return new FileContent(node, List.of(), null, 0, 0, 0);
        }
    }

    /** The node a file belongs to: its name without {@value #SUFFIX}. */
    static String nodeOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    private static String check(AnchorLine line, long lineNumber, String previousSeal, CheckpointSealer sealer,
            Path file) {
        if (line.index() != lineNumber) {
            return "line " + lineNumber + " of " + file.getFileName() + " is numbered " + line.index()
                    + (line.index() > lineNumber ? ": lines before it were removed" : ": lines were inserted or repeated")
                    + " (or the file was replaced)";
        }
        if (!line.isSealedAfter(sealer, previousSeal)) {
            return "line " + lineNumber + " of " + file.getFileName() + " (" + line.kind().word() + " of entry "
                    + line.sequence() + ") does not verify with the audit key: the anchor file was edited, a line"
                    + " removed before it, or the audit key replaced";
        }
        return null;
    }

    private static FileContent problem(String node, List<AnchorLine> lines, long lineNumber, long sequence,
            String problem) {
        return new FileContent(node, lines, problem, lineNumber, sequence, 0);
    }
}
