import GRDB

/// The versioned schema. Migrations are append-only: never edit a shipped one, add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial-schema") { db in
            // Names are unique per tenant and case-insensitive (RPS uses citext), hence NOCASE.
            try db.execute(sql: """
                CREATE TABLE cira_configs (
                    tenant_id TEXT NOT NULL,
                    config_name TEXT NOT NULL COLLATE NOCASE,
                    mps_server_address TEXT NOT NULL,
                    server_address_format INTEGER NOT NULL,
                    mps_port INTEGER NOT NULL,
                    username TEXT NOT NULL,
                    password BLOB,
                    common_name TEXT,
                    auth_method INTEGER NOT NULL,
                    mps_root_certificate TEXT NOT NULL,
                    proxy_details TEXT,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, config_name)
                );
                CREATE TABLE profiles (
                    tenant_id TEXT NOT NULL,
                    profile_name TEXT NOT NULL COLLATE NOCASE,
                    activation TEXT NOT NULL,
                    amt_password BLOB,
                    generate_random_password INTEGER NOT NULL,
                    mebx_password BLOB,
                    generate_random_mebx_password INTEGER NOT NULL,
                    cira_config_name TEXT COLLATE NOCASE,
                    tls_mode INTEGER,
                    tls_signing_authority TEXT,
                    user_consent TEXT,
                    ider_enabled INTEGER,
                    kvm_enabled INTEGER,
                    sol_enabled INTEGER,
                    dhcp_enabled INTEGER NOT NULL,
                    ip_sync_enabled INTEGER,
                    local_wifi_sync_enabled INTEGER,
                    tags TEXT NOT NULL DEFAULT '[]',
                    ieee8021x_profile_name TEXT,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, profile_name),
                    FOREIGN KEY (tenant_id, cira_config_name)
                        REFERENCES cira_configs (tenant_id, config_name) ON DELETE RESTRICT
                );
                CREATE INDEX profiles_by_cira_config ON profiles (tenant_id, cira_config_name);
                CREATE TABLE domains (
                    tenant_id TEXT NOT NULL,
                    profile_name TEXT NOT NULL COLLATE NOCASE,
                    domain_suffix TEXT NOT NULL COLLATE NOCASE,
                    provisioning_cert BLOB NOT NULL,
                    provisioning_cert_storage_format TEXT NOT NULL,
                    provisioning_cert_password BLOB NOT NULL,
                    expiration_date REAL NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, profile_name),
                    UNIQUE (tenant_id, domain_suffix)
                );
                CREATE TABLE devices (
                    guid TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                    tenant_id TEXT NOT NULL,
                    hostname TEXT,
                    friendly_name TEXT,
                    dns_suffix TEXT,
                    tags TEXT NOT NULL DEFAULT '[]',
                    mps_username TEXT,
                    mps_password BLOB,
                    amt_password BLOB,
                    mebx_password BLOB,
                    connection_status INTEGER NOT NULL DEFAULT 0,
                    mps_instance TEXT,
                    last_connected REAL,
                    last_seen REAL,
                    last_disconnected REAL,
                    device_info TEXT,
                    version INTEGER NOT NULL
                );
                CREATE INDEX devices_by_tenant_hostname ON devices (tenant_id, hostname);
                CREATE INDEX devices_by_instance ON devices (mps_instance);
                CREATE TABLE audit_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    tenant_id TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    detail TEXT
                );
                CREATE INDEX audit_events_by_time ON audit_events (time);
                """)
        }
        migrator.registerMigration("v2-cira-self-registration") { db in
            try db.execute(sql: "ALTER TABLE cira_configs ADD COLUMN allow_self_registration INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v3-wireless-8021x") { db in
            try db.execute(sql: """
                CREATE TABLE ieee8021x_configs (
                    tenant_id TEXT NOT NULL,
                    profile_name TEXT NOT NULL COLLATE NOCASE,
                    authentication_protocol INTEGER NOT NULL,
                    server_name TEXT,
                    domain TEXT,
                    username TEXT,
                    password BLOB,
                    roaming_identity TEXT,
                    active_in_s0 INTEGER,
                    pxe_timeout INTEGER,
                    wired_interface INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, profile_name)
                );
                CREATE TABLE wireless_configs (
                    tenant_id TEXT NOT NULL,
                    profile_name TEXT NOT NULL COLLATE NOCASE,
                    authentication_method INTEGER NOT NULL,
                    encryption_method INTEGER NOT NULL,
                    ssid TEXT NOT NULL,
                    psk_passphrase BLOB,
                    psk_value INTEGER,
                    link_policy TEXT NOT NULL DEFAULT '[]',
                    ieee8021x_profile_name TEXT COLLATE NOCASE,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, profile_name),
                    FOREIGN KEY (tenant_id, ieee8021x_profile_name)
                        REFERENCES ieee8021x_configs (tenant_id, profile_name) ON DELETE RESTRICT
                );
                CREATE INDEX wireless_configs_by_8021x ON wireless_configs (tenant_id, ieee8021x_profile_name);
                CREATE TABLE profile_wifi_configs (
                    tenant_id TEXT NOT NULL,
                    profile_name TEXT NOT NULL COLLATE NOCASE,
                    wireless_profile_name TEXT NOT NULL COLLATE NOCASE,
                    priority INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, profile_name, wireless_profile_name),
                    UNIQUE (tenant_id, profile_name, priority),
                    FOREIGN KEY (tenant_id, profile_name)
                        REFERENCES profiles (tenant_id, profile_name) ON DELETE CASCADE,
                    FOREIGN KEY (tenant_id, wireless_profile_name)
                        REFERENCES wireless_configs (tenant_id, profile_name) ON DELETE RESTRICT
                );
                CREATE INDEX profile_wifi_configs_by_wireless ON profile_wifi_configs (tenant_id, wireless_profile_name);
                """)
        }
        return migrator
    }
}
