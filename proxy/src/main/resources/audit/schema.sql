-- The audit ledger: one row per write, inserted in the write's own transaction on the same node, so that a row
-- and its entry are both there or neither is. The application user may INSERT and SELECT here, never UPDATE or
-- DELETE (see the grants of bin/local-cluster and of the Kubernetes schema Job). Idempotent.
CREATE DATABASE IF NOT EXISTS sqlgate_audit CHARACTER SET utf8mb4;

CREATE TABLE IF NOT EXISTS sqlgate_audit.write_entry (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  recorded_at DATETIME(6) NOT NULL,
  request_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  key_name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  route VARCHAR(32) NOT NULL,
  digest CHAR(64) NOT NULL,
  digest_text MEDIUMTEXT NOT NULL,
  tables_touched VARCHAR(2048) NOT NULL,
  affected_rows BIGINT NOT NULL,
  node VARCHAR(64) NOT NULL,
  params MEDIUMTEXT NULL,
  KEY by_request (request_id, recorded_at, id),
  KEY by_key (key_name, recorded_at, id),
  KEY by_time (recorded_at, id)
);
