package org.panacea.records.internal.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A named fact about the stored record itself, such as the version of its search index. */
@Entity
@Table(name = "PANACEA_RECORD_SETTING")
public class RecordSettingRow {

    @Id
    @Column(name = "NAME", length = 64)
    private String name;

    @Column(name = "SETTING_VALUE", length = 256, nullable = false)
    private String value;

    protected RecordSettingRow() {
        // for JPA
    }

    public RecordSettingRow(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public String value() {
        return value;
    }

    public void value(String value) {
        this.value = value;
    }
}
