/**
 * What every module shares that is not a component: {@link io.nbnet.support.ModuleApi}, which marks a
 * module's API packages. Depends on nothing of nbnet.
 */
@ModuleApi
package io.nbnet.support;

import io.nbnet.support.ModuleApi;
