package org.panacea.security.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Empty security databases for the key tests: embedded Derby in a test folder, or the PostgreSQL server named. */
final class KeyDatabases {

    /** Keeps the key derivation fast in tests; every ring states its own count, so nothing else changes. */
    static final int TEST_ITERATIONS = 1_000;

    static final String POSTGRES_URL = System.getProperty("panacea.test.postgres.url", "");

    static final String[] TABLES = { KeyRingRepository.RING_TABLE, KeyRingRepository.KEY_TABLE,
            DataKeyRepository.TABLE };

    private KeyDatabases() {
    }

    static EmbeddedDataSource derby(Path folder) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("security-db").toString());
        dataSource.setCreateDatabase("create");
        return dataSource;
    }

    static void shutDownDerby(Path folder) {
        try {
            DriverManager.getConnection("jdbc:derby:" + folder.resolve("security-db") + ";shutdown=true");
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as an exception
        }
    }

    /** The PostgreSQL server named by {@code panacea.test.postgres.url}, emptied of the key tables first. */
    static DataSource postgres() throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(POSTGRES_URL);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        return dataSource;
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}
