package org.panacea.audit.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/** A data source that can be switched off, like a database server that went away. */
final class SwitchableDataSource implements DataSource {

    private final DataSource delegate;
    private volatile boolean available = true;

    SwitchableDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void setAvailable(boolean available) {
        this.available = available;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!available) {
            throw new SQLTransientConnectionException("database unavailable (test)");
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
