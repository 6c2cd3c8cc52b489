package io.fhirmig.fhir.embedded;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.model.HistoryCountModeEnum;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * Spring wiring of HAPI FHIR's JPA server without Spring Boot. The set of imported configurations is
 * the smallest that starts (see DESIGN.md, "Known facts"); everything a migration tool's server does
 * not need (scheduled jobs, full-text indexing, subscriptions) is switched off to keep start-up short.
 */
@Configuration
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionChannelConfig.class,
    ThreadPoolFactoryConfig.class
})
class EmbeddedServerConfig {

    @Bean(destroyMethod = "close")
    public DataSource dataSource(EmbeddedServerOptions options) {
        BasicDataSource ds = new BasicDataSource();
        ds.setDriverClassName("org.h2.Driver");
        ds.setUrl(options.jdbcUrl());
        ds.setUsername("sa");
        ds.setPassword("");
        ds.setMaxTotal(20);
        return ds;
    }

    @Bean
    public JpaStorageSettings storageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setSchedulingDisabled(true);
        settings.setAllowMultipleDelete(true);
        settings.setExpungeEnabled(true);
        settings.setDeleteExpungeEnabled(true);
        settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
        settings.setAdvancedHSearchIndexing(false);
        settings.setHibernateSearchIndexFullText(false);
        settings.setHibernateSearchIndexSearchParams(false);
        settings.setEnableTaskBulkExportJobExecution(false);
        settings.setEnableTaskBulkImportJobExecution(false);
        settings.setEnableTaskPreExpandValueSets(false);
        settings.setEnableTaskResourceReindexing(false);
        settings.setMarkResourcesForReindexingUponSearchParameterChange(false);
        // HAPI records every search parameter's hash in a table kept for people reading the database
        // by hand; nothing reads it back. Filling it took a second core for seconds at every start.
        settings.setWriteToSearchParamIdentityTable(false);
        // A migration tool searches for resources it has just written: never answer from a cache.
        settings.setReuseCachedSearchResultsForMillis(null);
        // `_history` is the state's audit trail: count it exactly, never from a cached count.
        settings.setHistoryCountMode(HistoryCountModeEnum.COUNT_ACCURATE);
        return settings;
    }

    @Bean
    ResourceIdQueries resourceIdQueries() {
        return new ResourceIdQueries();
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    @Primary
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            ResourceIdQueries resourceIdQueries) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        Properties jpa = new Properties();
        jpa.put("hibernate.dialect", "ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect");
        jpa.put("hibernate.hbm2ddl.auto", "update");
        jpa.put("hibernate.search.enabled", "false");
        jpa.put("hibernate.format_sql", "false");
        jpa.put("hibernate.show_sql", "false");
        jpa.put("hibernate.jdbc.batch_size", "50");
        jpa.put("hibernate.session_factory.statement_inspector", resourceIdQueries);
        factory.setJpaProperties(jpa);
        return factory;
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        JpaTransactionManager manager = new JpaTransactionManager();
        manager.setEntityManagerFactory(entityManagerFactory);
        return manager;
    }
}
