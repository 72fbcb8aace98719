package org.panacea.api.security;

/**
 * A user-given server path was refused: it leaves the import folder, passes through a symbolic link, or names no
 * file there. The message names the path as given and the rule it broke, never any file content.
 */
public class FileRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FileRefusedException(String message) {
        super(message);
    }
}
