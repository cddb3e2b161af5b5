/**
 * Serializable functional interfaces for user code. Every one may throw checked exceptions; what
 * happens then is decided by the run's {@link dev.sluice.ErrorPolicy}.
 */
package dev.sluice.fn;
