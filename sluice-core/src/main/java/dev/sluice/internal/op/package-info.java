/**
 * Internal, not part of the API. The built-in operators, one class each: a plan node holding only its configuration
 * (so a plan can be serialized or translated by another runner) and, nested in it, its named runtime link for the
 * local runner. A user function's exception is handed to {@link dev.sluice.internal.RunState#reject}, which applies
 * the run's error policy; the try block never covers the push downstream, so a later stage's failure is not blamed
 * on this one.
 */
package dev.sluice.internal.op;
