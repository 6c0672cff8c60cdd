-- nbnet schema: the legacy stat_0..3 tables and the native sample tables, exactly as the saver
-- creates them with the default configuration (database nbnet, samples_0..3, view samples_all).
-- The saver runs the same statements at start; this file is for DBAs who create schemas by hand.
-- Sample tables start with the catch-all partition only: the saver splits day partitions off it
-- (retention.partitionsAhead) and drops expired days (retention.days).
-- A test (CreateSqlTest) keeps this file equal to the saver's DDL.

CREATE DATABASE IF NOT EXISTS `nbnet` CHARACTER SET utf8mb4;

USE `nbnet`;

CREATE TABLE IF NOT EXISTS `stat_0` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host` VARCHAR(256) DEFAULT NULL,
  `mem_free` INT DEFAULT NULL,
  `mem_usage` INT DEFAULT NULL,
  `mem_total` INT DEFAULT NULL,
  `load_avg` VARCHAR(128) DEFAULT NULL,
  `time` BIGINT DEFAULT NULL,
  `user_define` VARCHAR(4096) DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `host` (`host`(255)),
  UNIQUE KEY `host_time` (`host`(255), `time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `stat_1` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host` VARCHAR(256) DEFAULT NULL,
  `mem_free` INT DEFAULT NULL,
  `mem_usage` INT DEFAULT NULL,
  `mem_total` INT DEFAULT NULL,
  `load_avg` VARCHAR(128) DEFAULT NULL,
  `time` BIGINT DEFAULT NULL,
  `user_define` VARCHAR(4096) DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `host` (`host`(255)),
  UNIQUE KEY `host_time` (`host`(255), `time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `stat_2` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host` VARCHAR(256) DEFAULT NULL,
  `mem_free` INT DEFAULT NULL,
  `mem_usage` INT DEFAULT NULL,
  `mem_total` INT DEFAULT NULL,
  `load_avg` VARCHAR(128) DEFAULT NULL,
  `time` BIGINT DEFAULT NULL,
  `user_define` VARCHAR(4096) DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `host` (`host`(255)),
  UNIQUE KEY `host_time` (`host`(255), `time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `stat_3` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host` VARCHAR(256) DEFAULT NULL,
  `mem_free` INT DEFAULT NULL,
  `mem_usage` INT DEFAULT NULL,
  `mem_total` INT DEFAULT NULL,
  `load_avg` VARCHAR(128) DEFAULT NULL,
  `time` BIGINT DEFAULT NULL,
  `user_define` VARCHAR(4096) DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `host` (`host`(255)),
  UNIQUE KEY `host_time` (`host`(255), `time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `samples_0` (
  `host` VARCHAR(255) NOT NULL,
  `metric` VARCHAR(128) NOT NULL,
  `tags` VARCHAR(255) NOT NULL DEFAULT '',
  `ts` BIGINT NOT NULL COMMENT 'sample time, epoch milliseconds',
  `value` DOUBLE NULL,
  `text_value` VARCHAR(1024) NULL,
  PRIMARY KEY (`host`, `metric`, `tags`, `ts`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin PARTITION BY RANGE (`ts`) (PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE IF NOT EXISTS `samples_1` (
  `host` VARCHAR(255) NOT NULL,
  `metric` VARCHAR(128) NOT NULL,
  `tags` VARCHAR(255) NOT NULL DEFAULT '',
  `ts` BIGINT NOT NULL COMMENT 'sample time, epoch milliseconds',
  `value` DOUBLE NULL,
  `text_value` VARCHAR(1024) NULL,
  PRIMARY KEY (`host`, `metric`, `tags`, `ts`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin PARTITION BY RANGE (`ts`) (PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE IF NOT EXISTS `samples_2` (
  `host` VARCHAR(255) NOT NULL,
  `metric` VARCHAR(128) NOT NULL,
  `tags` VARCHAR(255) NOT NULL DEFAULT '',
  `ts` BIGINT NOT NULL COMMENT 'sample time, epoch milliseconds',
  `value` DOUBLE NULL,
  `text_value` VARCHAR(1024) NULL,
  PRIMARY KEY (`host`, `metric`, `tags`, `ts`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin PARTITION BY RANGE (`ts`) (PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE IF NOT EXISTS `samples_3` (
  `host` VARCHAR(255) NOT NULL,
  `metric` VARCHAR(128) NOT NULL,
  `tags` VARCHAR(255) NOT NULL DEFAULT '',
  `ts` BIGINT NOT NULL COMMENT 'sample time, epoch milliseconds',
  `value` DOUBLE NULL,
  `text_value` VARCHAR(1024) NULL,
  PRIMARY KEY (`host`, `metric`, `tags`, `ts`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin PARTITION BY RANGE (`ts`) (PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE OR REPLACE VIEW `samples_all` AS SELECT `host`, `metric`, `tags`, `ts`, `value`, `text_value`, 'samples_0' AS `shard` FROM `samples_0` UNION ALL SELECT `host`, `metric`, `tags`, `ts`, `value`, `text_value`, 'samples_1' AS `shard` FROM `samples_1` UNION ALL SELECT `host`, `metric`, `tags`, `ts`, `value`, `text_value`, 'samples_2' AS `shard` FROM `samples_2` UNION ALL SELECT `host`, `metric`, `tags`, `ts`, `value`, `text_value`, 'samples_3' AS `shard` FROM `samples_3`;
