package org.panacea.load.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.dbcp2.BasicDataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hibernate.dialect.Dialect;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * The FHIR peer of the load harness: HAPI FHIR's JPA server (R4) on an H2 database on disk, served by Jetty under
 * {@code /fhir} on the given port. It is the same assembly of HAPI's configuration classes as the
 * {@code hapi-fhir-jpaserver-starter} project uses, without Spring Boot, with that project's defaults: no request
 * validation, no narratives, no authentication.
 *
 * <pre>java -cp ... org.panacea.load.hapi.HapiFhirServer PORT DATA_FOLDER [POSTGRESQL_JDBC_URL]</pre>
 *
 * With a PostgreSQL URL (user and password in it, as {@code .ci/postgres start} prints it) the data goes to that
 * database's schema {@code hapi} instead, created when missing, beside Panacea's tables.
 *
 * Prints {@code HAPI FHIR ready on PORT} when it serves; stops on SIGTERM.
 */
public final class HapiFhirServer {

    private HapiFhirServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(data);
        System.setProperty("load.hapi.data", data.toString());
        if (args.length > 2) {
            try (Connection connection = DriverManager.getConnection(args[2]);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS hapi");
            }
            System.setProperty("load.hapi.postgres", args[2] + (args[2].contains("?") ? "&" : "?")
                    + "currentSchema=hapi");
        }

        AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(Config.class);
        RestfulServer fhir = spring.getBean(RestfulServer.class);

        // The same worker count as Panacea's Jetty (org.ops4j.pax.web.server.maxThreads = 64).
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName("hapi-http");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(fhir);
        holder.setInitOrder(1);
        context.addServlet(holder, "/fhir/*");
        jetty.setHandler(context);
        jetty.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jetty.stop();
            } catch (Exception e) {
                // Stopping anyway: the database closes with the context.
            }
            spring.close();
        }, "hapi-stop"));
        System.out.println("HAPI FHIR ready on " + port);
        jetty.join();
    }

    /** The Spring configuration: HAPI's own configuration classes and the beans they expect from the application. */
    @Configuration
    @Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
            SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class})
    public static class Config {

        @Bean
        public JpaStorageSettings storageSettings() {
            JpaStorageSettings settings = new JpaStorageSettings();
            // Each search runs its query, as Panacea's do: HAPI would otherwise answer a repeated identifier search
            // from its search cache for a minute, and the load repeats identifiers from a fixed set.
            settings.setReuseCachedSearchResultsForMillis(null);
            return settings;
        }

        @Bean
        public PartitionSettings partitionSettings() {
            return new PartitionSettings();
        }

        @Bean
        public SubscriptionSettings subscriptionSettings() {
            return new SubscriptionSettings();
        }

        @Bean(destroyMethod = "close")
        public BasicDataSource dataSource() {
            BasicDataSource pool = new BasicDataSource();
            if (postgres()) {
                pool.setUrl(System.getProperty("load.hapi.postgres"));
            } else {
                pool.setDriver(new org.h2.Driver());
                pool.setUrl("jdbc:h2:file:" + System.getProperty("load.hapi.data") + "/hapi");
                pool.setUsername("");
                pool.setPassword("");
            }
            // As many connections as the harness has clients at most: the pool is not what limits HAPI.
            pool.setMaxTotal(64);
            return pool;
        }

        @Primary
        @Bean
        public LocalContainerEntityManagerFactoryBean entityManagerFactory(
                ConfigurableListableBeanFactory beans, FhirContext fhirContext, JpaStorageSettings storageSettings,
                DataSource dataSource) {
            LocalContainerEntityManagerFactoryBean factory =
                    HapiEntityManagerFactoryUtil.newEntityManagerFactory(beans, fhirContext, storageSettings);
            factory.setPersistenceUnitName("HAPI_PU");
            factory.setDataSource(dataSource);
            Properties jpa = new Properties();
            // The starter project's Hibernate defaults.
            jpa.put("hibernate.dialect", dialect().getClass().getName());
            jpa.put("hibernate.hbm2ddl.auto", "update");
            jpa.put("hibernate.jdbc.batch_size", "20");
            jpa.put("hibernate.cache.use_query_cache", "false");
            jpa.put("hibernate.cache.use_second_level_cache", "false");
            jpa.put("hibernate.cache.use_structured_entries", "false");
            jpa.put("hibernate.cache.use_minimal_puts", "false");
            jpa.put("hibernate.search.enabled", "false");
            jpa.put("hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner");
            factory.setJpaProperties(jpa);
            return factory;
        }

        @Primary
        @Bean
        public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }

        @Primary
        @Bean
        public HibernatePropertiesProvider hibernatePropertiesProvider() {
            return new HibernatePropertiesProvider() {
                @Override
                public Dialect getDialect() {
                    return dialect();
                }
            };
        }

        private static boolean postgres() {
            return System.getProperty("load.hapi.postgres") != null;
        }

        private static Dialect dialect() {
            return postgres() ? new HapiFhirPostgresDialect() : new HapiFhirH2Dialect();
        }

        @Bean
        public IBinaryStorageSvc binaryStorage() {
            return new MemoryBinaryStorageSvcImpl();
        }

        @Bean(name = "myResourceCountsCache")
        public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
            return ResourceCountCacheUtil.newResourceCountCache(systemDao);
        }

        @Bean
        public RestfulServer restfulServer(IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory providers,
                IJpaSystemProvider systemProvider, JpaStorageSettings storageSettings,
                ISearchParamRegistry searchParams, IValidationSupport validation,
                DatabaseBackedPagingProvider paging) {
            FhirContext context = systemDao.getContext();
            context.setNarrativeGenerator(new NullNarrativeGenerator());
            RestfulServer server = new RestfulServer(context);
            server.registerProviders(providers.createProviders());
            server.registerProvider(systemProvider);
            server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                    server, systemDao, storageSettings, searchParams, validation));
            server.setPagingProvider(paging);
            return server;
        }
    }
}
