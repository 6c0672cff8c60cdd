/**
 * The saver's HTTP side: the query API, the dashboard's files, the query budget. Internal to the
 * saver.
 */
package io.nbnet.saver.http;
