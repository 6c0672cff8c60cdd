-- nbnet schema: the legacy stat_0..3 tables and the native sample tiers, exactly as the saver creates
-- them with the default configuration (database nbnet, table prefix samples_). The saver runs the
-- same statements at start; this file is for DBAs who create schemas by hand.
-- samples_recent holds samples until their five-minute window is compacted into samples_raw (one
-- block per series and window) and the rollups samples_rollup_5m and samples_rollup_1h. The tiers
-- start with the catch-all partition only: the saver splits day (month, for the hour tier)
-- partitions off it and drops those past each tier's retention.
-- A test (CreateSqlTest) keeps this file equal to the saver's DDL.

CREATE DATABASE IF NOT EXISTS `nbnet` CHARACTER SET utf8mb4;

USE `nbnet`;

CREATE TABLE IF NOT EXISTS `stat_0` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host` VARCHAR(256) COLLATE utf8mb4_nopad_bin DEFAULT NULL,
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
  `host` VARCHAR(256) COLLATE utf8mb4_nopad_bin DEFAULT NULL,
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
  `host` VARCHAR(256) COLLATE utf8mb4_nopad_bin DEFAULT NULL,
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
  `host` VARCHAR(256) COLLATE utf8mb4_nopad_bin DEFAULT NULL,
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

CREATE TABLE IF NOT EXISTS `samples_hosts` (
  `host_id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host` VARCHAR(255) NOT NULL,
  `first_received` BIGINT NOT NULL COMMENT 'epoch ms, saver clock',
  `last_received` BIGINT NOT NULL COMMENT 'epoch ms, saver clock',
  `last_ts` BIGINT NOT NULL COMMENT 'its newest sample time, epoch ms',
  `last_samples` INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'samples at last_ts',
  `interval_ms` INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'the spacing of its samples',
  `status` ENUM('reporting', 'late', 'silent') NOT NULL DEFAULT 'reporting' COMMENT 'as the liveness check last saw it',
  `status_since` BIGINT NOT NULL DEFAULT 0 COMMENT 'epoch ms; 0: since first_received',
  PRIMARY KEY (`host_id`),
  UNIQUE KEY `host` (`host`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS `samples_series` (
  `series_id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `host_id` INT UNSIGNED NOT NULL,
  `metric` VARCHAR(128) NOT NULL,
  `tags` VARCHAR(2048) NOT NULL DEFAULT '',
  `last_day` INT NOT NULL DEFAULT 0 COMMENT 'days since 1970-01-01 of its newest compacted sample',
  `tags_hash` BINARY(16) AS (UNHEX(MD5(`tags`))) STORED COMMENT 'the unique key''s stand-in for tags',
  PRIMARY KEY (`series_id`),
  UNIQUE KEY `host_metric_tags` (`host_id`, `metric`, `tags_hash`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=9;

CREATE TABLE IF NOT EXISTS `samples_recent` (
  `host_id` INT UNSIGNED NOT NULL,
  `ts` BIGINT NOT NULL COMMENT 'sample time, epoch ms',
  `series_id` INT UNSIGNED NOT NULL,
  `value` DOUBLE NULL,
  `text_value` VARCHAR(1024) NULL,
  `conflicts` TINYINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'times another value came for this key',
  PRIMARY KEY (`host_id`, `ts`, `series_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin PARTITION BY LIST ((`ts` DIV 300000) MOD 64) (
  PARTITION s00 VALUES IN (0),
  PARTITION s01 VALUES IN (1),
  PARTITION s02 VALUES IN (2),
  PARTITION s03 VALUES IN (3),
  PARTITION s04 VALUES IN (4),
  PARTITION s05 VALUES IN (5),
  PARTITION s06 VALUES IN (6),
  PARTITION s07 VALUES IN (7),
  PARTITION s08 VALUES IN (8),
  PARTITION s09 VALUES IN (9),
  PARTITION s10 VALUES IN (10),
  PARTITION s11 VALUES IN (11),
  PARTITION s12 VALUES IN (12),
  PARTITION s13 VALUES IN (13),
  PARTITION s14 VALUES IN (14),
  PARTITION s15 VALUES IN (15),
  PARTITION s16 VALUES IN (16),
  PARTITION s17 VALUES IN (17),
  PARTITION s18 VALUES IN (18),
  PARTITION s19 VALUES IN (19),
  PARTITION s20 VALUES IN (20),
  PARTITION s21 VALUES IN (21),
  PARTITION s22 VALUES IN (22),
  PARTITION s23 VALUES IN (23),
  PARTITION s24 VALUES IN (24),
  PARTITION s25 VALUES IN (25),
  PARTITION s26 VALUES IN (26),
  PARTITION s27 VALUES IN (27),
  PARTITION s28 VALUES IN (28),
  PARTITION s29 VALUES IN (29),
  PARTITION s30 VALUES IN (30),
  PARTITION s31 VALUES IN (31),
  PARTITION s32 VALUES IN (32),
  PARTITION s33 VALUES IN (33),
  PARTITION s34 VALUES IN (34),
  PARTITION s35 VALUES IN (35),
  PARTITION s36 VALUES IN (36),
  PARTITION s37 VALUES IN (37),
  PARTITION s38 VALUES IN (38),
  PARTITION s39 VALUES IN (39),
  PARTITION s40 VALUES IN (40),
  PARTITION s41 VALUES IN (41),
  PARTITION s42 VALUES IN (42),
  PARTITION s43 VALUES IN (43),
  PARTITION s44 VALUES IN (44),
  PARTITION s45 VALUES IN (45),
  PARTITION s46 VALUES IN (46),
  PARTITION s47 VALUES IN (47),
  PARTITION s48 VALUES IN (48),
  PARTITION s49 VALUES IN (49),
  PARTITION s50 VALUES IN (50),
  PARTITION s51 VALUES IN (51),
  PARTITION s52 VALUES IN (52),
  PARTITION s53 VALUES IN (53),
  PARTITION s54 VALUES IN (54),
  PARTITION s55 VALUES IN (55),
  PARTITION s56 VALUES IN (56),
  PARTITION s57 VALUES IN (57),
  PARTITION s58 VALUES IN (58),
  PARTITION s59 VALUES IN (59),
  PARTITION s60 VALUES IN (60),
  PARTITION s61 VALUES IN (61),
  PARTITION s62 VALUES IN (62),
  PARTITION s63 VALUES IN (63));

CREATE TABLE IF NOT EXISTS `samples_compacting` (
  `host_id` INT UNSIGNED NOT NULL,
  `ts` BIGINT NOT NULL COMMENT 'sample time, epoch ms',
  `series_id` INT UNSIGNED NOT NULL,
  `value` DOUBLE NULL,
  `text_value` VARCHAR(1024) NULL,
  `conflicts` TINYINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'times another value came for this key',
  PRIMARY KEY (`host_id`, `ts`, `series_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS `samples_windows` (
  `window_start` BIGINT NOT NULL COMMENT 'epoch ms of a compacted window',
  PRIMARY KEY (`window_start`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS `samples_raw_times` (
  `window_start` BIGINT NOT NULL COMMENT 'epoch ms, a multiple of 300000',
  `host_id` INT UNSIGNED NOT NULL,
  `times` TEXT NOT NULL COMMENT 'JSON: [ms after window_start, ...] of the host''s samples in the window, ascending',
  PRIMARY KEY (`window_start`, `host_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=9 PARTITION BY RANGE (`window_start`) (
  PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE IF NOT EXISTS `samples_raw` (
  `window_start` BIGINT NOT NULL COMMENT 'epoch ms, a multiple of 300000',
  `host_id` INT UNSIGNED NOT NULL,
  `series_id` INT UNSIGNED NOT NULL,
  `samples` MEDIUMINT UNSIGNED NOT NULL,
  `points` BLOB NOT NULL COMMENT 'COMPRESS()ed JSON aligned with the times of samples_raw_times: [value, null, {"t": text}, ...]',
  PRIMARY KEY (`window_start`, `host_id`, `series_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=9 PARTITION BY RANGE (`window_start`) (
  PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE IF NOT EXISTS `samples_rollup_5m` (
  `hour` BIGINT NOT NULL COMMENT 'epoch ms of the hour',
  `series_id` INT UNSIGNED NOT NULL,
  `buckets` TEXT NOT NULL COMMENT 'JSON: per 5-minute window of the hour, null or [min, max, sum, count, last]',
  PRIMARY KEY (`hour`, `series_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=9 PARTITION BY RANGE (`hour`) (
  PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE TABLE IF NOT EXISTS `samples_rollup_1h` (
  `series_id` INT UNSIGNED NOT NULL,
  `bucket` BIGINT NOT NULL COMMENT 'epoch ms of the hour',
  `min` DOUBLE NOT NULL,
  `max` DOUBLE NOT NULL,
  `sum` DOUBLE NOT NULL,
  `count` INT UNSIGNED NOT NULL,
  `last` DOUBLE NOT NULL COMMENT 'the value of the newest sample',
  PRIMARY KEY (`series_id`, `bucket`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=9 PARTITION BY RANGE (`bucket`) (
  PARTITION pmax VALUES LESS THAN MAXVALUE);

CREATE OR REPLACE VIEW `samples_all` AS SELECT h.`host`, s.`metric`, s.`tags`, b.`window_start` + CAST(JSON_VALUE(t.`times`, CONCAT('$[', p.`i` - 1, ']')) AS SIGNED) AS `ts`, p.`value`, COALESCE(p.`text_value`, p.`special`) AS `text_value`, 'samples_raw' AS `shard`, CAST(FROM_UNIXTIME((b.`window_start` + CAST(JSON_VALUE(t.`times`, CONCAT('$[', p.`i` - 1, ']')) AS SIGNED)) / 1000) AS DATETIME(3)) AS `time`, b.`window_start` FROM `samples_hosts` h JOIN `samples_series` s ON s.`host_id` = h.`host_id` JOIN `samples_windows` w JOIN `samples_raw` b ON b.`window_start` = w.`window_start` AND b.`host_id` = s.`host_id` AND b.`series_id` = s.`series_id` JOIN `samples_raw_times` t ON t.`window_start` = b.`window_start` AND t.`host_id` = b.`host_id` JOIN JSON_TABLE(UNCOMPRESS(b.`points`), '$[*]' COLUMNS (`i` FOR ORDINALITY, `value` DOUBLE PATH '$' NULL ON ERROR, `text_value` VARCHAR(1024) PATH '$.t', `special` VARCHAR(5) PATH '$.v')) p WHERE p.`value` IS NOT NULL OR p.`text_value` IS NOT NULL OR p.`special` IS NOT NULL UNION ALL SELECT h.`host`, s.`metric`, s.`tags`, r.`ts`, r.`value`, IF(LEFT(r.`text_value`, 1) = CHAR(0 USING utf8mb4), SUBSTRING(r.`text_value`, 2), r.`text_value`), 'samples_recent', CAST(FROM_UNIXTIME((r.`ts`) / 1000) AS DATETIME(3)), r.`ts` - r.`ts` MOD 300000 FROM `samples_hosts` h JOIN `samples_series` s ON s.`host_id` = h.`host_id` JOIN `samples_recent` r ON r.`host_id` = s.`host_id` AND r.`series_id` = s.`series_id` WHERE NOT EXISTS (SELECT 1 FROM `samples_raw_times` t JOIN `samples_raw` b ON b.`window_start` = t.`window_start` AND b.`host_id` = t.`host_id` JOIN JSON_TABLE(t.`times`, '$[*]' COLUMNS (`i` FOR ORDINALITY, `dt` BIGINT PATH '$')) d WHERE t.`window_start` = r.`ts` - r.`ts` MOD 300000 AND t.`host_id` = r.`host_id` AND b.`series_id` = r.`series_id` AND d.`dt` = r.`ts` - t.`window_start` AND JSON_EXTRACT(UNCOMPRESS(b.`points`), CONCAT('$[', d.`i` - 1, ']')) <> 'null') UNION ALL SELECT h.`host`, s.`metric`, s.`tags`, c.`ts`, c.`value`, IF(LEFT(c.`text_value`, 1) = CHAR(0 USING utf8mb4), SUBSTRING(c.`text_value`, 2), c.`text_value`), 'samples_compacting', CAST(FROM_UNIXTIME((c.`ts`) / 1000) AS DATETIME(3)), c.`ts` - c.`ts` MOD 300000 FROM `samples_hosts` h JOIN `samples_series` s ON s.`host_id` = h.`host_id` JOIN `samples_compacting` c ON c.`host_id` = s.`host_id` AND c.`series_id` = s.`series_id` WHERE NOT EXISTS (SELECT 1 FROM `samples_raw_times` t JOIN `samples_raw` b ON b.`window_start` = t.`window_start` AND b.`host_id` = t.`host_id` JOIN JSON_TABLE(t.`times`, '$[*]' COLUMNS (`i` FOR ORDINALITY, `dt` BIGINT PATH '$')) d WHERE t.`window_start` = c.`ts` - c.`ts` MOD 300000 AND t.`host_id` = c.`host_id` AND b.`series_id` = c.`series_id` AND d.`dt` = c.`ts` - t.`window_start` AND JSON_EXTRACT(UNCOMPRESS(b.`points`), CONCAT('$[', d.`i` - 1, ']')) <> 'null');

CREATE OR REPLACE VIEW `samples_5m` AS SELECT h.`host`, s.`metric`, s.`tags`, w.`window_start` AS `ts`, CAST(FROM_UNIXTIME((w.`window_start`) / 1000) AS DATETIME) AS `time`, CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][0]')) AS DOUBLE) AS `min`, CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][1]')) AS DOUBLE) AS `max`, CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][2]')) AS DOUBLE) AS `sum`, CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][3]')) AS UNSIGNED) AS `count`, CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][2]')) AS DOUBLE) / CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][3]')) AS UNSIGNED) AS `avg`, CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][4]')) AS DOUBLE) AS `last` FROM `samples_hosts` h JOIN `samples_series` s ON s.`host_id` = h.`host_id` JOIN `samples_windows` w JOIN `samples_rollup_5m` r ON r.`hour` = w.`window_start` - w.`window_start` MOD 3600000 AND r.`series_id` = s.`series_id` WHERE JSON_VALUE(r.`buckets`, CONCAT('$[', (w.`window_start` MOD 3600000) DIV 300000, '][3]')) IS NOT NULL;

CREATE OR REPLACE VIEW `samples_1h` AS SELECT h.`host`, s.`metric`, s.`tags`, r.`bucket` AS `ts`, CAST(FROM_UNIXTIME((r.`bucket`) / 1000) AS DATETIME) AS `time`, r.`min`, r.`max`, r.`sum`, r.`count`, r.`sum` / r.`count` AS `avg`, r.`last` FROM `samples_hosts` h JOIN `samples_series` s ON s.`host_id` = h.`host_id` JOIN `samples_rollup_1h` r ON r.`series_id` = s.`series_id`;
