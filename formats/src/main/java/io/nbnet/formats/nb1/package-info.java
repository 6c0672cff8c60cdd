/**
 * The native NB1 frame: many samples per frame, one line each (docs/native-format.md).
 */
@ModuleApi
package io.nbnet.formats.nb1;

import io.nbnet.support.ModuleApi;
