package org.panacea.api.records;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * The records database could not be reached, or the connection to it was lost, in the middle of a request: a server
 * that stopped, crashed or is being failed over, not anything about the request. A request failing with it may be
 * tried again once the database (or its promoted standby) answers; when it failed during a commit, whether that
 * commit happened is not known to this node (it may have reached the database, and a synchronous standby, just
 * before the connection went). Answered as a 503 over HTTP.
 */
public final class DatabaseUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(Throwable cause) {
        super("The records database cannot be reached: " + cause.getMessage(), cause);
    }

    /**
     * Whether {@code failure} comes from a database that cannot be reached: an {@link SQLException} in its causes
     * (or chained to one) of SQLState class {@code 08} (connection exception: refused, lost, no server of the
     * wanted type, as pgjdbc's multi-host URL reports while no server accepts writes) or {@code 57P} (the server
     * shuts down or crashed, e.g. {@code pg_ctl stop -m immediate}), or one of JDBC's connection exception classes.
     * A violated constraint (class {@code 23}) or any other answer of a working database is not.
     */
    public static boolean causedBy(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof DatabaseUnavailableException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                int chained = 0;
                for (SQLException e = sql; e != null && chained < 32; e = e.getNextException(), chained++) {
                    if (isConnectionFailure(e)) {
                        return true;
                    }
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
