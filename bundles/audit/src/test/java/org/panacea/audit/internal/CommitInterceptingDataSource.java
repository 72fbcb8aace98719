package org.panacea.audit.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source whose connections can be stopped right before a commit: the moment a node's batch has stored its
 * entries and moved the head, holding the head lock, and has not committed yet. The test then kills the transaction
 * as a crash would.
 */
final class CommitInterceptingDataSource implements DataSource {

    /** What runs before the next commit; may block. */
    interface BeforeCommit {
        /** @param connection the database's own connection that is about to commit */
        void run(Connection connection) throws Exception;
    }

    private final DataSource delegate;
    private final AtomicReference<BeforeCommit> nextCommit = new AtomicReference<>();

    CommitInterceptingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code hook} in the next commit on any of this source's connections, before the commit itself. */
    void beforeNextCommit(BeforeCommit hook) {
        nextCommit.set(hook);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection real = delegate.getConnection();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("commit")) {
                        BeforeCommit hook = nextCommit.getAndSet(null);
                        if (hook != null) {
                            hook.run(real);
                        }
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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
