package io.nbnet.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a package ({@code package-info.java}): the package is part of its module's API, which other
 * modules may use. A package without it belongs to its module alone; a test fails when another
 * module's code uses it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PACKAGE)
public @interface ModuleApi {
}
