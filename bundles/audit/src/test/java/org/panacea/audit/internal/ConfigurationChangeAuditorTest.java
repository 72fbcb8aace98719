package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationEvent;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.testsupport.RecordingAuditTrail;

class ConfigurationChangeAuditorTest {

    @TempDir
    Path folder;

    private static ConfigurationEvent event(int type, String pid, String factoryPid) {
        ConfigurationEvent event = mock(ConfigurationEvent.class);
        when(event.getType()).thenReturn(type);
        when(event.getPid()).thenReturn(pid);
        when(event.getFactoryPid()).thenReturn(factoryPid);
        return event;
    }

    @Test
    void updatesAndDeletionsAreAuditedByPidWithoutTheirValues() {
        RecordingAuditTrail trail = new RecordingAuditTrail();
        ConfigurationChangeAuditor auditor = new ConfigurationChangeAuditor(trail, null);
        auditor.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "org.panacea.security", null));
        auditor.configurationEvent(event(ConfigurationEvent.CM_DELETED, "org.ops4j.datasource.abc",
                "org.ops4j.datasource"));

        assertEquals(2, trail.events().size());
        AuditEvent updated = trail.events().get(0);
        assertEquals(AuditAction.CONFIGURATION_CHANGED, updated.action());
        assertEquals("Configuration", updated.resourceType());
        assertEquals("org.panacea.security", updated.resourceId());
        assertEquals("configuration org.panacea.security updated", updated.details());
        assertEquals("configuration org.ops4j.datasource.abc deleted (factory org.ops4j.datasource)",
                trail.events().get(1).details());
        assertFalse(updated.details().contains("passphrase"), "values are never recorded");
    }

    @Test
    void aChangeTheTrailCannotRecordIsCountedAsLost() {
        RecordingAuditTrail failing = new RecordingAuditTrail();
        failing.failing(true);
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            new ConfigurationChangeAuditor(failing, journal)
                    .configurationEvent(event(ConfigurationEvent.CM_UPDATED, "org.panacea.audit", null));

            assertEquals(Map.of(LostEventSource.CONFIGURATION, 1L), journal.unrecordedLost());
        }
    }
}
