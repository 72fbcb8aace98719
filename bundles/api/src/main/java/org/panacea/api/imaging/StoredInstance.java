package org.panacea.api.imaging;

import java.util.List;
import java.util.Objects;

/**
 * What storing one DICOM instance did: the instance as the archive now knows it, and the values it stored as
 * received although they break their VR's rules (empty when there were none, and always under
 * {@link ValueChecking#STRICT}, which refuses such files instead).
 *
 * @param instance    the archived instance (a copy sent again is the one stored first)
 * @param sopClassUid SOP Class UID (0008,0016) of the instance
 * @param warnings    values stored as received, in the order of their tags
 * @since 1.4
 */
public record StoredInstance(ArchivedInstance instance, String sopClassUid, List<ValueWarning> warnings) {

    public StoredInstance {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        warnings = List.copyOf(warnings);
    }
}
