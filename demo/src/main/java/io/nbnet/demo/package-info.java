/**
 * {@code ./nbnet demo}: collector, trans and saver in one process, on an embedded MariaDB when none
 * answers. Nothing depends on it.
 */
package io.nbnet.demo;
