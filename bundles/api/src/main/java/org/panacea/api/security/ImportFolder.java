package org.panacea.api.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one folder on the server from which commands and endpoints read files ({@code data/import} by default,
 * {@code import.folder} in {@code etc/org.panacea.security.cfg}). A path given by a user is resolved against it,
 * canonicalised, and refused when it leaves the folder or passes through a symbolic link, so no console user can
 * read another server file through Panacea. Callers check the user's permission first, then resolve. Thread-safe.
 */
@ProviderType
public interface ImportFolder {

    /** The folder itself, absolute and canonical. */
    Path folder();

    /**
     * Resolves {@code path} (relative to the folder, or absolute and inside it) to an existing regular file or
     * directory inside the folder.
     *
     * @throws FileRefusedException when the path leaves the folder, goes through a link, or names nothing; the
     *                              message names the path as given, never anything read from a file
     */
    Path resolve(String path) throws FileRefusedException;

    /**
     * Opens the regular file {@code path} names (see {@link #resolve}), refusing links at the moment of opening.
     *
     * @throws FileRefusedException when the path is refused or is not a regular file
     */
    InputStream open(String path) throws FileRefusedException, IOException;
}
