package io.nbnet.mariadb;

/** Where a MariaDB server answers, and as whom to log in. */
public record MariaDbAddress(String host, int port, String user, String password, boolean embedded) {
}
