-- The application's schema. NDB tables: every SQL node serves the same rows, so the proxy's read
-- nodes see what its primary wrote. IF NOT EXISTS throughout: the schema Job may run any number of times.
CREATE DATABASE IF NOT EXISTS main_db;

CREATE TABLE IF NOT EXISTS main_db.direct_table (
  id INT AUTO_INCREMENT PRIMARY KEY,
  column1 VARCHAR(255),
  column2 VARCHAR(255)
) ENGINE=NDBCLUSTER;

CREATE TABLE IF NOT EXISTS main_db.random_table (
  id INT AUTO_INCREMENT PRIMARY KEY,
  column1 VARCHAR(255),
  column2 VARCHAR(255)
) ENGINE=NDBCLUSTER;

CREATE TABLE IF NOT EXISTS main_db.customized_table (
  id INT AUTO_INCREMENT PRIMARY KEY,
  column1 VARCHAR(255),
  column2 VARCHAR(255)
) ENGINE=NDBCLUSTER;
